/**
 * The relay's command line: `npm run relay -- <command>`. Configuration comes from the environment
 * (see README, "Relay configuration").
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@lupa/contract';
import { parseCedula } from '@lupa/contract/cedula';
import { usageCsv } from '@lupa/contract/usage-csv';
import { AnalystRefusal } from './analysts/analyst-admin.js';
import {
  createAnalyst,
  rotateAnalystToken,
  STATIC_TOKEN_DEFAULT_DAYS,
  STATIC_TOKEN_MAX_DAYS,
} from './analysts/analyst-tokens.js';
import { teamUsage, USAGE_MAX_DAYS } from './analysts/team-usage.js';
import { printable, table } from './cli-output.js';
import { ConfigError, loadConfig } from './config.js';
import { erasePerson } from './extractions/erasure.js';
import { purgeExpired } from './extractions/purge.js';
import { createLogger } from './observability/logger.js';
import { personAudit } from './privacy/person-audit.js';
import { createRelayContext, startRelay } from './relay-server.js';
import { backupSqlite, isPostgresUrl, sqlitePathOf } from './store/open-store.js';
import { listAnalysts } from './store/queries/analysts-queries.js';
import { appendActionAudit } from './store/queries/audit-log-queries.js';

const HELP = `Lupa relay

Usage: npm run relay -- <command>

Commands:
  serve                    Run the relay (HTTP API, Belvo webhooks, jobs)
  analysts add <name> [--roles r,...] [--expires-days n]
                           Create an analyst (roles: analyst, supervisor, dpo, admin; default
                           analyst); prints the token once, alone on the last line. The token
                           works for n days (default ${STATIC_TOKEN_DEFAULT_DAYS}, at most ${STATIC_TOKEN_MAX_DAYS})
  analysts list            List analysts (id, name, roles and who sets them, token expiry,
                           created, revoked)
  analysts roles <id> <r,...>
                           Replace an analyst's roles (refused for those whose roles come from
                           the identity provider's groups)
  analysts rotate <id> [--expires-days n]
                           Give an analyst a new token (shown once); the old one stops working
  analysts revoke <id>     Revoke an analyst's token
  purge                    Remove reports older than RETENTION_HOURS now
  audit --cedula <n>       Who consulted this person, when, and with what consent reference
  erase --cedula <n>       Erase everything about one person (a titular's request, Ley 1581): every
                           lookup and report, and each Belvo link (deleted by the serving relay's
                           jobs); the audit trail stays, with an entry for the erasure
  usage --from <day> --to <day> [--csv]
                           The team's usage per analyst and Bogotá day (YYYY-MM-DD, both included,
                           at most ${USAGE_MAX_DAYS} days): lookups, reuses (no Belvo charge), Belvo links
                           registered, failures; --csv writes CSV for Excel (semicolons, UTF-8 BOM)
  backup <file>            Copy a SQLite store consistently, even while the relay serves
  help                     This text

Configuration is read from the environment: DATABASE_URL, RELAY_ENCRYPTION_KEY, BELVO_*, and the
rest listed in README.md. Only 'serve' needs the Belvo keys.`;

class UsageError extends Error {}

function rolesOf(text: string | undefined): Role[] {
  const names = (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0)
    throw new UsageError(
      `Roles are a comma-separated list of ${ROLES.join(', ')}${unknown.length ? ` (not: ${unknown.join(', ')})` : ''}`,
    );
  return names as Role[];
}

function expiresDaysOf(text: string | undefined): number {
  if (text === undefined) return STATIC_TOKEN_DEFAULT_DAYS;
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > STATIC_TOKEN_MAX_DAYS)
    throw new UsageError(`--expires-days takes a whole number of days from 1 to ${STATIC_TOKEN_MAX_DAYS}`);
  return days;
}

type AdminContext = Awaited<ReturnType<typeof createRelayContext>>;

/** The analysts service's refusal, said to the operator as a usage error. */
const refusalAsUsage = (id: string) => (error: unknown) => {
  if (error instanceof AnalystRefusal)
    throw new UsageError(
      error.code === 'analyst_not_found' ? `No active analyst with id ${printable(id)}` : error.message,
    );
  throw error;
};

async function withAdminContext<T>(
  run: (ctx: AdminContext['ctx'], services: AdminContext['services']) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env, { requireBelvo: false });
  const { ctx, services } = await createRelayContext(config, { logger: createLogger('warn') });
  try {
    return await run(ctx, services);
  } finally {
    await ctx.notifier.close();
    await ctx.store.close();
  }
}

async function serve(): Promise<void> {
  const relay = await startRelay(loadConfig(process.env));
  const shutdown = (signal: string) => {
    relay.ctx.logger.info({ signal }, 'stopping');
    relay.stop().then(
      () => {
        relay.ctx.logger.flush();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'analysts': {
      const [action, argument] = rest;
      if (action === 'add') {
        const { values, positionals } = parseArgs({
          args: rest.slice(1),
          options: { roles: { type: 'string' }, 'expires-days': { type: 'string' } },
          allowPositionals: true,
        });
        const name = positionals.join(' ').trim();
        if (!name)
          throw new UsageError('analysts add needs a name: npm run relay -- analysts add "Ana Gómez"');
        const roles = values.roles === undefined ? undefined : rolesOf(values.roles);
        const days = expiresDaysOf(values['expires-days']);
        const analyst = await withAdminContext((ctx) =>
          createAnalyst(ctx.store.db, name, ctx.now(), roles, days),
        );
        console.log(`Analyst "${printable(analyst.name)}" created with id ${analyst.id}.`);
        console.log(`Roles: ${analyst.roles.join(', ')}. The token works until ${analyst.expiresAt}.`);
        console.log('Their token follows; it is shown only now (the relay keeps only its hash):');
        console.log(analyst.token);
        return;
      }
      if (action === 'list') {
        const analysts = await withAdminContext((ctx) => listAnalysts(ctx.store.db));
        if (analysts.length === 0)
          return console.log('No analysts yet: npm run relay -- analysts add <name>');
        console.log(
          table([
            ['ID', 'NAME', 'ROLES', 'ROLES SET BY', 'TOKEN EXPIRES', 'CREATED', 'REVOKED'],
            ...analysts.map((analyst) => [
              analyst.id,
              analyst.name,
              analyst.roles.join(','),
              analyst.roles_source === 'identity_provider' ? 'identity provider' : 'relay',
              analyst.token_expires_at ?? 'sign-in only',
              analyst.created_at,
              analyst.revoked_at ?? '-',
            ]),
          ]),
        );
        return;
      }
      if (action === 'revoke') {
        if (!argument) throw new UsageError('analysts revoke needs the analyst id (see: analysts list)');
        await withAdminContext((_ctx, services) =>
          services.analysts.revoke(argument, null).catch(refusalAsUsage(argument)),
        );
        console.log(`Analyst ${printable(argument)} revoked; their token no longer works.`);
        return;
      }
      if (action === 'roles') {
        if (!argument)
          throw new UsageError(
            'analysts roles needs the analyst id and the roles: analysts roles <id> analyst,supervisor',
          );
        const roles = rolesOf(rest[2]);
        await withAdminContext((_ctx, services) =>
          services.analysts.setRoles(argument, roles, null).catch(refusalAsUsage(argument)),
        );
        console.log(`Analyst ${printable(argument)} now has the roles: ${roles.join(', ')}.`);
        return;
      }
      if (action === 'rotate') {
        if (!argument) throw new UsageError('analysts rotate needs the analyst id (see: analysts list)');
        const { values } = parseArgs({
          args: rest.slice(2),
          options: { 'expires-days': { type: 'string' } },
        });
        const days = expiresDaysOf(values['expires-days']);
        const rotated = await withAdminContext((ctx) =>
          rotateAnalystToken(ctx.store.db, argument, ctx.now(), days),
        );
        if (!rotated) throw new UsageError(`No active analyst with id ${printable(argument)}`);
        console.log(
          `Analyst ${printable(argument)} has a new token, valid until ${rotated.expiresAt}; the old one no longer works.`,
        );
        console.log('The new token follows; it is shown only now (the relay keeps only its hash):');
        console.log(rotated.token);
        return;
      }
      throw new UsageError('analysts takes add <name>, list, roles <id> <roles>, rotate <id> or revoke <id>');
    }
    case 'purge': {
      const report = await withAdminContext((ctx) => purgeExpired(ctx));
      console.log(
        `Purged ${report.reportsPurged} report(s) past retention; deleted ${report.webhookEventsDeleted} old webhook event(s), ${report.jobsDeleted} finished job(s) and ${report.batchesDeleted} batch(es).`,
      );
      return;
    }
    case 'audit': {
      const { values } = parseArgs({ args: rest, options: { cedula: { type: 'string' } } });
      const parsed = parseCedula(values.cedula ?? '');
      if (!parsed.ok) throw new UsageError('audit needs --cedula <3 to 10 digits>');
      const lines = await withAdminContext(async (ctx) =>
        (await personAudit(ctx, parsed.cedula)).entries.map((entry) => [
          entry.at,
          entry.analyst ? `${entry.analyst.name} (${entry.analyst.id})` : 'relay',
          entry.action,
          entry.lookupId ?? '-',
          entry.consentReference ?? '-',
        ]),
      );
      console.log(table([['WHEN (UTC)', 'WHO', 'ACTION', 'LOOKUP', 'CONSENT REFERENCE'], ...lines]));
      // The trail always holds this reading; say plainly when it holds nothing else.
      if (lines.every(([, , action]) => action === 'person_audited' || action === 'person_erased')) {
        console.log('No one has consulted this cédula through this relay.');
      }
      return;
    }
    case 'erase': {
      const { values } = parseArgs({ args: rest, options: { cedula: { type: 'string' } } });
      const parsed = parseCedula(values.cedula ?? '');
      if (!parsed.ok) throw new UsageError('erase needs --cedula <3 to 10 digits>');
      const erased = await withAdminContext((ctx) => erasePerson(ctx, parsed.cedula));
      console.log(
        erased === 0
          ? 'Nothing is stored about this cédula.'
          : `Erased ${erased} extraction(s) and every lookup of them; Belvo link deletion is queued for the serving relay. The audit trail keeps who consulted, when and with what consent.`,
      );
      return;
    }
    case 'usage': {
      const { values } = parseArgs({
        args: rest,
        options: { from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' } },
      });
      const usage = await withAdminContext(async (ctx) => {
        const read = await teamUsage(ctx.store.db, values.from ?? '', values.to ?? '');
        if (read) {
          await appendActionAudit(ctx.store.db, 'usage_read', null, ctx.now().toISOString(), {
            detail: { from: read.from, to: read.to },
          });
        }
        return read;
      });
      if (!usage)
        throw new UsageError(
          `usage needs --from and --to, Bogotá days (YYYY-MM-DD), from on or before to, ${USAGE_MAX_DAYS} days at most`,
        );
      if (values.csv) return void process.stdout.write(usageCsv(usage));
      if (usage.rows.length === 0) return console.log(`No lookups from ${usage.from} to ${usage.to}.`);
      console.log(
        table([
          ['DAY', 'ANALYST', 'LOOKUPS', 'REUSES', 'BELVO LINKS', 'FAILURES'],
          ...usage.rows.map((row) => [
            row.day,
            `${row.analystName} (${row.analystId})`,
            String(row.lookups),
            String(row.reuses),
            String(row.linksRegistered),
            String(row.failures),
          ]),
        ]),
      );
      return;
    }
    case 'backup': {
      const [destination] = rest;
      if (!destination)
        throw new UsageError('backup needs a destination file: npm run relay -- backup <file>');
      const { databaseUrl } = loadConfig(process.env, { requireBelvo: false });
      if (isPostgresUrl(databaseUrl)) {
        throw new UsageError(
          'backup copies a SQLite store; back up PostgreSQL with pg_dump (see docs/operating-the-relay.md)',
        );
      }
      if (existsSync(destination)) throw new UsageError(`${destination} exists; choose a new file`);
      const pages = await backupSqlite(sqlitePathOf(databaseUrl), destination);
      console.log(
        `Backed up ${pages} pages to ${destination} (sealed data still needs the encryption keys).`,
      );
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return;
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${HELP}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
