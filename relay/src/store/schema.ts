/**
 * Table types. Portable between SQLite and PostgreSQL on purpose: text ids (UUIDs), ISO-8601 UTC text
 * timestamps (they sort as text on both), integers 0/1 instead of booleans, no autoincrement.
 */
import type { LookupStage, LookupStatus, RolesSource } from '@lupa/contract';

export type Flag = 0 | 1;

export interface AnalystsTable {
  id: string;
  name: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** Comma-separated, from ROLES (contract). */
  roles: string;
  /** `iss|sub` of an analyst who signs in with the identity provider; null for token-only analysts. */
  oidc_subject?: string | null;
  email?: string | null;
  /** Who sets the roles: the identity provider's groups at each sign-in, or the relay (CLI, admins). */
  roles_source: RolesSource;
  /** When the static token stops working (null: never, for tokens nobody holds). */
  token_expires_at: string | null;
}

/**
 * A sign-in the provider confirmed, waiting for the extension to trade its one-time code (a minute at
 * most). Nothing is stored before the provider vouches for the person: the state of a sign-in in
 * flight travels sealed in the provider's `state` parameter (sign-in-state.ts).
 */
export interface SignInCodesTable {
  code_hash: string;
  /** The extension's own PKCE challenge (S256), which its token request must answer. */
  client_challenge: string;
  analyst_id: string;
  created_at: string;
  expires_at: string;
  idp_refresh_sealed: string | null;
}

/** A signed-in extension: a short-lived access token and a rotating refresh token, both hashed. */
export interface SessionsTable {
  id: string;
  analyst_id: string;
  access_hash: string;
  access_expires_at: string;
  refresh_hash: string;
  expires_at: string;
  /** The provider's refresh token, to ask at each refresh whether the person may still enter. */
  idp_refresh_sealed: string | null;
  created_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/** Refresh tokens already exchanged: presenting one again revokes its session (a stolen copy). */
export interface SpentRefreshTokensTable {
  hash: string;
  session_id: string;
  spent_at: string;
  /**
   * The pair it was exchanged for, sealed, for the grace in which presenting it again answers with
   * that same pair (two refreshes at once, or a worker stopped before it saved them); cleared after.
   */
  successor_sealed?: string | null;
}

/** One Belvo link and what came of it; several analysts' lookups may share it (reuse, joins). */
export interface ExtractionsTable {
  id: string;
  cedula_hash: string;
  cedula_sealed: string | null;
  external_id: string;
  belvo_link_id: string | null;
  status: LookupStatus;
  stage: LookupStage;
  version: number;
  employments_expected: number | null;
  employments_received: number;
  employments_done: Flag;
  employments_sealed: string | null;
  owners_expected: number | null;
  owners_received: number;
  owners_done: Flag;
  owners_sealed: string | null;
  error_code: string | null;
  error_message: string | null;
  error_retryable: Flag | null;
  created_at: string;
  updated_at: string;
  ready_at: string | null;
  purged_at: string | null;
  link_deletion_requested_at: string | null;
}

/** An analyst's request, with the consent that authorised it. */
export interface LookupsTable {
  id: string;
  analyst_id: string;
  extraction_id: string;
  cedula_hash: string;
  cedula_masked: string;
  reused: Flag;
  consent_reference_sealed: string | null;
  consent_at: string;
  created_at: string;
}

export interface WebhookEventsTable {
  id: string;
  webhook_id: string;
  link_id: string | null;
  webhook_type: string | null;
  webhook_code: string | null;
  body: string;
  received_at: string;
  processed_at: string | null;
  outcome: string | null;
}

export type JobKind =
  | 'register_link'
  | 'process_webhook'
  | 'reconcile'
  | 'delete_link'
  | 'purge'
  | 'advance_batch';

export interface JobsTable {
  id: string;
  kind: JobKind;
  subject_id: string;
  dedupe_key: string | null;
  run_at: string;
  attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export type AuditAction =
  | 'lookup_created'
  | 'lookup_reused'
  | 'lookup_joined'
  | 'report_read'
  | 'lookup_deleted'
  | 'report_purged'
  | 'person_erased'
  | 'link_registered'
  | 'lookup_failed'
  | 'roles_changed'
  | 'analyst_revoked'
  /** A person's trail read by the data-protection officer (API) or an operator (CLI). */
  | 'person_audited'
  /** The team's usage read by a supervisor (API) or an operator (CLI). */
  | 'usage_read';

export interface AuditLogTable {
  id: string;
  at: string;
  action: AuditAction;
  analyst_id: string | null;
  cedula_hash: string | null;
  lookup_id: string | null;
  extraction_id: string | null;
  consent_reference_sealed: string | null;
  /** For an admin's change to an analyst: which analyst and what (JSON). */
  detail?: string | null;
}

/** How many lookups an analyst was admitted on a Bogotá day; only ever incremented. */
export interface AnalystDailyUsageTable {
  analyst_id: string;
  /** `YYYY-MM-DD` in Bogotá. */
  day: string;
  used: number;
}

/** A list of people an analyst asked to look up at once (a payroll-agreement batch). */
export interface BatchesTable {
  id: string;
  analyst_id: string;
  status: 'running' | 'cancelled' | 'done';
  total_rows: number;
  created_at: string;
  updated_at: string;
}

/**
 * One person of a batch, with the consent that authorises their lookup. `pending` until its lookup
 * is admitted (in the same transaction that admits it, so a restart never charges a row twice);
 * `started` then follows its lookup; `refused` (daily limit) and `cancelled` never cost anything.
 */
export interface BatchRowsTable {
  batch_id: string;
  /** The row's line in the analyst's file. */
  line: number;
  cedula_hash: string;
  cedula_sealed: string | null;
  cedula_masked: string;
  consent_reference_sealed: string | null;
  state: 'pending' | 'started' | 'refused' | 'cancelled';
  lookup_id: string | null;
  refusal_code: string | null;
  updated_at: string;
}

export interface Database {
  sign_in_codes: SignInCodesTable;
  sessions: SessionsTable;
  spent_refresh_tokens: SpentRefreshTokensTable;
  batches: BatchesTable;
  batch_rows: BatchRowsTable;
  analyst_daily_usage: AnalystDailyUsageTable;
  analysts: AnalystsTable;
  extractions: ExtractionsTable;
  lookups: LookupsTable;
  webhook_events: WebhookEventsTable;
  jobs: JobsTable;
  audit_log: AuditLogTable;
}
