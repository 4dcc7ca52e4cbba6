/**
 * Lookups as analysts see them: consent first, then reuse of a recent result, joining one that is
 * still running, or a new Belvo link. Every access is written to the audit log.
 */
import { randomUUID } from 'node:crypto';
import type { Lookup, Me, Report } from '@lupa/contract';
import { maskCedula } from '@lupa/contract/cedula';
import type { Kysely } from 'kysely';
import { deleteAnalystLookup } from '../extractions/erasure.js';
import type { RelayContext } from '../relay-context.js';
import type { Analyst } from '../store/queries/analysts-queries.js';
import { appendAudit } from '../store/queries/audit-log-queries.js';
import { claimDailyLookup, dailyLookupsUsed } from '../store/queries/daily-usage-queries.js';
import {
  findExtraction,
  findPendingExtraction,
  findReusableExtraction,
  insertExtraction,
  newPendingExtraction,
} from '../store/queries/extractions-queries.js';
import { enqueueJob } from '../store/queries/jobs-queries.js';
import {
  findAnalystLookup,
  insertLookup,
  type LookupRow,
  listAnalystLookupsOfCedula,
} from '../store/queries/lookups-queries.js';
import type { AuditAction, Database } from '../store/schema.js';
import { bogotaDate, nextBogotaMidnight } from './bogota-day.js';
import { waitForChange } from './change-notifier.js';
import { LookupRefusal } from './lookup-refusal.js';
import { toLookup } from './lookup-view.js';
import type { WaitSlots } from './wait-slots.js';

export type CreateLookupInput = { cedula: string; consentReference: string | undefined; force: boolean };
export type CreateLookupOutcome = { kind: 'new' | 'joined' | 'reused'; lookup: Lookup };
/** Writes that belong to the admission of a lookup (a batch row marked started). */
export type AdmittedWith = (trx: Kysely<Database>, lookupId: string) => Promise<void>;

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** `waits`: the slots shared with batch waits (MAX_WAITS_PER_ANALYST). */
export function createLookupService(ctx: RelayContext, waits: WaitSlots) {
  const { store, protector, metrics, logger } = ctx;
  const db = store.db;

  async function audit(
    executor: Kysely<Database>,
    action: AuditAction,
    fields: {
      analystId: string | null;
      cedulaHash: string | null;
      lookupId?: string;
      extractionId?: string;
      consentReference?: string;
    },
  ) {
    const id = randomUUID();
    await appendAudit(executor, {
      id,
      at: ctx.now().toISOString(),
      action,
      analyst_id: fields.analystId,
      cedula_hash: fields.cedulaHash,
      lookup_id: fields.lookupId ?? null,
      extraction_id: fields.extractionId ?? null,
      // Sealed for this row: the lookup's own copy is bound to the lookup's row.
      consent_reference_sealed: fields.consentReference
        ? protector.seal(fields.consentReference, {
            table: 'audit_log',
            column: 'consent_reference_sealed',
            id,
          })
        : null,
    });
  }

  async function usage(analystId: string) {
    const now = ctx.now();
    return {
      used: await dailyLookupsUsed(db, analystId, bogotaDate(now)),
      resetsAt: nextBogotaMidnight(now),
    };
  }

  function dailyLimitReached(): LookupRefusal {
    const now = ctx.now();
    const retryAfter = Math.max(1, Math.ceil((nextBogotaMidnight(now).getTime() - now.getTime()) / 1000));
    return new LookupRefusal(
      'daily_limit_reached',
      `Daily limit of ${ctx.config.analystDailyLimit} lookups reached; it resets at midnight in Bogotá`,
      retryAfter,
    );
  }

  async function requireLookup(analystId: string, lookupId: string): Promise<LookupRow> {
    const row = await findAnalystLookup(db, analystId, lookupId);
    if (!row) throw new LookupRefusal('lookup_not_found', 'No lookup with that id for this analyst');
    return row;
  }

  async function createInTransaction(
    analyst: Analyst,
    input: CreateLookupInput,
    cedulaHash: string,
    within: AdmittedWith | undefined,
  ) {
    const nowIso = ctx.now().toISOString();
    const readySince = new Date(ctx.now().getTime() - ctx.config.reuseWindowMs).toISOString();
    const lookupId = randomUUID();
    const consentReferenceSealed = input.consentReference
      ? protector.seal(input.consentReference, {
          table: 'lookups',
          column: 'consent_reference_sealed',
          id: lookupId,
        })
      : null;
    return db.transaction().execute(async (trx) => {
      // First: a refused request writes nothing and registers no Belvo link.
      if (!(await claimDailyLookup(trx, analyst.id, bogotaDate(ctx.now()), ctx.config.analystDailyLimit))) {
        throw dailyLimitReached();
      }
      // Under every key in use, so an extraction stored before a key rotation is still joined or reused.
      const knownHashes = protector.cedulaHashes(input.cedula);
      const existing = input.force
        ? await findPendingExtraction(trx, knownHashes)
        : await findReusableExtraction(trx, knownHashes, readySince);
      let extractionId: string;
      let kind: CreateLookupOutcome['kind'];
      if (existing) {
        extractionId = existing.id;
        kind = existing.status === 'ready' ? 'reused' : 'joined';
      } else {
        extractionId = randomUUID();
        kind = 'new';
        await insertExtraction(
          trx,
          newPendingExtraction({
            id: extractionId,
            cedulaHash,
            cedulaSealed: protector.seal(input.cedula, {
              table: 'extractions',
              column: 'cedula_sealed',
              id: extractionId,
            }),
            externalId: randomUUID(),
            at: nowIso,
          }),
        );
        await enqueueJob(
          trx,
          {
            id: randomUUID(),
            kind: 'register_link',
            subjectId: extractionId,
            runAt: nowIso,
            dedupeKey: `register:${extractionId}`,
          },
          nowIso,
        );
      }
      await insertLookup(trx, {
        id: lookupId,
        analyst_id: analyst.id,
        extraction_id: extractionId,
        cedula_hash: cedulaHash,
        cedula_masked: maskCedula(input.cedula),
        reused: kind === 'new' ? 0 : 1,
        consent_reference_sealed: consentReferenceSealed,
        consent_at: nowIso,
        created_at: nowIso,
      });
      const action: AuditAction =
        kind === 'new' ? 'lookup_created' : kind === 'reused' ? 'lookup_reused' : 'lookup_joined';
      await audit(trx, action, {
        analystId: analyst.id,
        cedulaHash,
        lookupId,
        extractionId,
        consentReference: input.consentReference,
      });
      await within?.(trx, lookupId);
      return { kind, lookupId };
    });
  }

  return {
    /** `within` runs in the transaction that admits the lookup: what it writes commits with it, or neither. */
    async createLookup(
      analyst: Analyst,
      input: CreateLookupInput,
      within?: AdmittedWith,
    ): Promise<CreateLookupOutcome> {
      const cedulaHash = protector.cedulaHash(input.cedula);
      let created: { kind: CreateLookupOutcome['kind']; lookupId: string };
      try {
        created = await createInTransaction(analyst, input, cedulaHash, within);
      } catch (error) {
        // Another request started this person's extraction a moment ago: join it.
        if (!isUniqueViolation(error)) throw error;
        created = await createInTransaction(analyst, { ...input, force: false }, cedulaHash, within);
      }
      if (created.kind === 'new') ctx.wakeJobs();
      metrics.lookupsCreated.inc({ kind: created.kind });
      logger.info(
        { lookupId: created.lookupId, analystId: analyst.id, kind: created.kind },
        'lookup requested',
      );
      return { kind: created.kind, lookup: toLookup(await requireLookup(analyst.id, created.lookupId)) };
    },

    async getLookup(analystId: string, lookupId: string): Promise<Lookup> {
      return toLookup(await requireLookup(analystId, lookupId));
    },

    /** Answers as soon as the version passes `sinceVersion`, or when the wait ends or the client leaves. */
    async waitForLookup(
      analystId: string,
      lookupId: string,
      sinceVersion: number,
      waitMs: number,
      signal: AbortSignal,
    ): Promise<Lookup> {
      let current = await requireLookup(analystId, lookupId);
      if (current.extraction.version > sinceVersion) return toLookup(current);
      const release = waits.take(analystId);
      const deadline = Date.now() + waitMs;
      metrics.openLongPolls.inc();
      try {
        // A wake-up without a new version (a notifier catching up after a reconnection) waits again.
        for (;;) {
          const wait = waitForChange(ctx.notifier, [current.extraction_id], deadline - Date.now(), signal);
          // Re-read after subscribing: a change committed in between is not missed.
          current = await requireLookup(analystId, lookupId);
          if (current.extraction.version > sinceVersion) {
            wait.cancel();
            break;
          }
          const outcome = await wait.ready;
          if (outcome === 'aborted') break;
          current = await requireLookup(analystId, lookupId);
          if (outcome === 'timeout' || current.extraction.version > sinceVersion) break;
        }
      } finally {
        metrics.openLongPolls.dec();
        release();
      }
      return toLookup(current);
    },

    async listLookupsOfCedula(analystId: string, cedula: string): Promise<Lookup[]> {
      const rows = await listAnalystLookupsOfCedula(db, analystId, protector.cedulaHashes(cedula));
      return rows.map(toLookup);
    },

    async getReport(analystId: string, lookupId: string): Promise<Report> {
      const row = await requireLookup(analystId, lookupId);
      if (row.extraction.purged_at) {
        throw new LookupRefusal(
          'report_purged',
          'The report was removed after the retention period; run a new lookup',
        );
      }
      if (row.extraction.status !== 'ready') {
        throw new LookupRefusal(
          'not_ready',
          `The lookup is ${row.extraction.status}; the report exists once it is ready`,
        );
      }
      const extraction = await findExtraction(db, row.extraction_id);
      if (!extraction?.employments_sealed || !extraction.owners_sealed) {
        throw new LookupRefusal('report_purged', 'The report is no longer stored; run a new lookup');
      }
      const report: Report = {
        lookup: toLookup(row),
        owners: protector.openJson(extraction.owners_sealed, {
          table: 'extractions',
          column: 'owners_sealed',
          id: extraction.id,
        }),
        employments: protector.openJson(extraction.employments_sealed, {
          table: 'extractions',
          column: 'employments_sealed',
          id: extraction.id,
        }),
      };
      await audit(db, 'report_read', {
        analystId,
        cedulaHash: row.cedula_hash,
        lookupId,
        extractionId: row.extraction_id,
      });
      return report;
    },

    /**
     * The analyst's own access goes; the person's data and the Belvo link go only when no other
     * analyst's lookup still uses them (erasing a person outright is the operator's erase command).
     * Deleting never gives back a lookup of the daily limit.
     */
    async deleteLookup(analystId: string, lookupId: string): Promise<void> {
      const row = await requireLookup(analystId, lookupId);
      const { dataErased } = await deleteAnalystLookup(ctx, analystId, {
        id: row.id,
        extractionId: row.extraction_id,
        cedulaHash: row.cedula_hash,
      });
      logger.info({ lookupId, extractionId: row.extraction_id, dataErased }, 'lookup deleted on request');
    },

    async me(analyst: Analyst): Promise<Me> {
      const { used, resetsAt } = await usage(analyst.id);
      return {
        id: analyst.id,
        name: analyst.name,
        roles: analyst.roles,
        usage: {
          lookupsToday: used,
          dailyLimit: ctx.config.analystDailyLimit,
          resetsAt: resetsAt.toISOString(),
        },
        policies: {
          reuseWindowHours: ctx.config.reuseWindowMs / 3_600_000,
          ...(ctx.config.alertThresholds ? { alertThresholds: ctx.config.alertThresholds } : {}),
        },
        ...(ctx.config.lenderName ? { lender: { name: ctx.config.lenderName } } : {}),
      };
    },
  };
}

export type LookupService = ReturnType<typeof createLookupService>;
