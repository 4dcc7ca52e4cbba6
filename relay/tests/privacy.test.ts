import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../src/extractions/purge.js';
import { runCli } from './cli-runner.js';
import { analystClient, type Stack, startStack, waitUntilFinal } from './relay-harness.js';

const HOUR = 3_600_000;
let clockOffsetMs = 0;
let stack: Stack;
const cedulas = ['1020304050', '52123456', '1030405060', '1000000001'];

beforeAll(async () => {
  stack = await startStack({
    now: () => new Date(Date.now() + clockOffsetMs),
    env: { RETENTION_HOURS: '72' },
  });
  for (const cedula of cedulas) {
    const started = await stack.startLookup(cedula);
    await waitUntilFinal(stack.api, started.body.id);
    await stack.api.get(`v1/lookups/${started.body.id}/report`);
  }
  await stack.api.post('v1/lookups/search', { json: { cedula: '1020304050' } });
});
afterAll(() => stack.stop());

function variantsOf(cedula: string): string[] {
  return [cedula, cedula.replace(/\B(?=(\d{3})+(?!\d))/g, '.')];
}

describe('personal data at rest and in logs', () => {
  it('never writes a test cédula in clear to the logs', () => {
    const logs = stack.logLines.join('\n');
    expect(stack.logLines.length).toBeGreaterThan(20);
    for (const cedula of cedulas)
      for (const variant of variantsOf(cedula)) expect(logs).not.toContain(variant);
  });

  it('never stores a cédula, a name or a consent reference in clear (SQLite file and WAL, or PostgreSQL rows)', async () => {
    const contents = await stack.storedText();
    expect(contents.length).toBeGreaterThan(10_000);
    for (const cedula of cedulas)
      for (const variant of variantsOf(cedula)) expect(contents).not.toContain(variant);
    // Names and salaries come from Belvo's payloads, which are sealed too.
    expect(contents).not.toContain(Buffer.from('María Fernanda', 'utf8').toString('latin1'));
    expect(contents).not.toContain('Comercializadora Andina');
    expect(contents).not.toContain('SOL-2026-0001');
  });
});

describe('audit trail', () => {
  it('answers who consulted a person, when, and with what consent reference', () => {
    const result = runCli(['audit', '--cedula', '1.020.304.050'], stack.env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Ana Analista');
    expect(result.stdout).toContain('lookup_created');
    expect(result.stdout).toContain('report_read');
    expect(result.stdout).toContain('SOL-2026-0001');
    expect(result.stdout).not.toContain('52123456');
  });

  it('says so when nobody consulted the person', () => {
    const result = runCli(['audit', '--cedula', '99999999'], stack.env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No one has consulted this cédula');
    // The reading itself is in the trail: every access to a person is audited.
    expect(result.stdout).toContain('person_audited');
  });

  it('refuses an invalid cédula with usage help and exit code 2', () => {
    const result = runCli(['audit', '--cedula', 'abc'], stack.env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('audit needs --cedula');
  });
});

describe('analysts from the CLI', () => {
  it('adds (token alone on the last line), lists and revokes', async () => {
    const added = runCli(['analysts', 'add', 'Diana', 'Díaz'], stack.env);
    expect(added.status).toBe(0);
    const token = added.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^lupa_[A-Za-z0-9_-]{43}$/);
    const api = analystClient(stack.relay.url, token);
    expect((await api.get('v1/me')).status).toBe(200);
    // Only the hash is stored.
    expect(await stack.storedText()).not.toContain(token);

    const listed = runCli(['analysts', 'list'], stack.env);
    const row = listed.stdout.split('\n').find((line) => line.includes('Diana Díaz'))!;
    const id = row.split(/\s+/)[0]!;
    expect(runCli(['analysts', 'revoke', id], stack.env).status).toBe(0);
    expect((await api.get('v1/me')).status).toBe(401);
    expect(runCli(['analysts', 'revoke', id], stack.env).status).toBe(2);
  });

  it('rotates a token: the new one works for the same analyst, the old one stops at once', async () => {
    const added = runCli(['analysts', 'add', 'Tomás', 'Token'], stack.env);
    const oldToken = added.stdout.trimEnd().split('\n').at(-1)!;
    const id = added.stdout.match(/with id (\S+)\./)![1]!;
    const rotated = runCli(['analysts', 'rotate', id], stack.env);
    expect(rotated.status).toBe(0);
    const newToken = rotated.stdout.trimEnd().split('\n').at(-1)!;
    expect(newToken).toMatch(/^lupa_[A-Za-z0-9_-]{43}$/);
    expect(newToken).not.toBe(oldToken);
    expect((await analystClient(stack.relay.url, oldToken).get('v1/me')).status).toBe(401);
    const me = await analystClient(stack.relay.url, newToken).get('v1/me');
    expect(await me.json()).toMatchObject({ id, name: 'Tomás Token' });
    expect(await stack.storedText()).not.toContain(newToken);
    // A revoked analyst gets no new token.
    expect(runCli(['analysts', 'revoke', id], stack.env).status).toBe(0);
    expect(runCli(['analysts', 'rotate', id], stack.env).status).toBe(2);
  });

  it('runs administration commands without the Belvo keys', () => {
    const {
      BELVO_SECRET_ID: _id,
      BELVO_SECRET_PASSWORD: _password,
      BELVO_WEBHOOK_AUTHORIZATION: _auth,
      ...adminEnv
    } = stack.env;
    expect(runCli(['analysts', 'list'], adminEnv).status).toBe(0);
  });
});

describe('erasing a person on the titular’s request', () => {
  it('erase --cedula removes every lookup and payload of that person, deletes the links and keeps the audit', async () => {
    const cedula = '1030405060';
    const before = runCli(['audit', '--cedula', cedula], stack.env).stdout;
    expect(before).toContain('lookup_created');
    const { db } = stack.relay.ctx.store;
    const hashes = stack.relay.ctx.protector.cedulaHashes(cedula);
    const extractionIds = (
      await db.selectFrom('extractions').select('id').where('cedula_hash', 'in', hashes).execute()
    ).map((row) => row.id);
    expect(extractionIds.length).toBeGreaterThan(0);
    const deletedBefore = stack.emulator.counters.linksDeleted;

    const erased = runCli(['erase', '--cedula', '1.030.405.060'], stack.env);
    expect(erased.status).toBe(0);
    expect(erased.stdout).toMatch(/^Erased \d+ extraction\(s\)/);

    expect(await db.selectFrom('lookups').select('id').where('cedula_hash', 'in', hashes).execute()).toEqual(
      [],
    );
    const extractions = await db
      .selectFrom('extractions')
      .select(['cedula_sealed', 'employments_sealed', 'owners_sealed', 'link_deletion_requested_at'])
      .where('id', 'in', extractionIds)
      .execute();
    for (const extraction of extractions) {
      expect(extraction).toMatchObject({
        cedula_sealed: null,
        employments_sealed: null,
        owners_sealed: null,
      });
      expect(extraction.link_deletion_requested_at).not.toBeNull();
    }
    // The serving relay's jobs ask Belvo to delete each link.
    await expect
      .poll(() => stack.emulator.counters.linksDeleted, { timeout: 10_000 })
      .toBe(deletedBefore + extractionIds.length);
    const after = runCli(['audit', '--cedula', cedula], stack.env).stdout;
    expect(after).toContain('lookup_created');
    expect(after).toContain('person_erased');
  });

  it('says so when nothing is stored, and refuses an invalid cédula', () => {
    expect(runCli(['erase', '--cedula', '99887766'], stack.env).stdout).toContain('Nothing is stored');
    expect(runCli(['erase', '--cedula', '0123'], stack.env).status).toBe(2);
  });
});

describe('retention', () => {
  it('purges report payloads and cédulas after RETENTION_HOURS and keeps the audit trail', async () => {
    const started = await stack.startLookup('1020304050', { force: true });
    await waitUntilFinal(stack.api, started.body.id);
    expect((await stack.api.get(`v1/lookups/${started.body.id}/report`)).status).toBe(200);

    clockOffsetMs = 73 * HOUR;
    const report = await purgeExpired(stack.relay.ctx);
    expect(report.reportsPurged).toBeGreaterThanOrEqual(4);

    const response = await stack.api.get(`v1/lookups/${started.body.id}/report`);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ error: { code: 'report_purged' } });
    const leftovers = await stack.relay.ctx.store.db
      .selectFrom('extractions')
      .select(['id'])
      .where((where) =>
        where.or([
          where('employments_sealed', 'is not', null),
          where('owners_sealed', 'is not', null),
          where('cedula_sealed', 'is not', null),
        ]),
      )
      .where('status', '!=', 'pending')
      .execute();
    expect(leftovers).toEqual([]);

    // A purged result is never reused: a new lookup goes to Belvo again.
    const again = await stack.startLookup('1020304050');
    expect(again.status).toBe(202);

    const audit = runCli(['audit', '--cedula', '1020304050'], stack.env);
    expect(audit.stdout).toContain('report_purged');
    expect(audit.stdout).toContain('lookup_created');
  });

  it('offers purge from the CLI', () => {
    const result = runCli(['purge'], stack.env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Purged \d+ report\(s\) past retention/);
  });
});
