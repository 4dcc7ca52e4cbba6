import { ROLES, type Role } from '@lupa/contract';
import type { Kysely } from 'kysely';
import type { AnalystsTable, Database } from '../schema.js';

export type Analyst = Pick<
  AnalystsTable,
  'id' | 'name' | 'created_at' | 'revoked_at' | 'roles_source' | 'token_expires_at'
> & { roles: Role[] };

const COLUMNS = [
  'id',
  'name',
  'created_at',
  'revoked_at',
  'roles',
  'roles_source',
  'token_expires_at',
] as const;

/** Stored as text in a fixed order, so equal sets compare equal; unknown names are dropped. */
export function rolesColumn(roles: readonly Role[]): string {
  return ROLES.filter((role) => roles.includes(role)).join(',');
}

export function withRoles(row: Pick<AnalystsTable, (typeof COLUMNS)[number]>): Analyst {
  const roles = row.roles.split(',');
  return { ...row, roles: ROLES.filter((role) => roles.includes(role)) };
}

export async function insertAnalyst(
  db: Kysely<Database>,
  analyst: Omit<AnalystsTable, 'roles'> & { roles: readonly Role[] },
): Promise<void> {
  await db
    .insertInto('analysts')
    .values({ ...analyst, roles: rolesColumn(analyst.roles) })
    .execute();
}

/** The analyst whose static token this is, while it has not expired nor been revoked. */
export async function findActiveAnalystByTokenHash(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<Analyst | undefined> {
  const row = await db
    .selectFrom('analysts')
    .select(COLUMNS)
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('token_expires_at', 'is', null), eb('token_expires_at', '>', now)]))
    .executeTakeFirst();
  return row && withRoles(row);
}

export async function listAnalysts(db: Kysely<Database>): Promise<Analyst[]> {
  const rows = await db.selectFrom('analysts').select(COLUMNS).orderBy('created_at').execute();
  return rows.map(withRoles);
}

export async function findAnalystNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('analysts').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Returns false when no active analyst has that id. */
export async function revokeAnalyst(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('analysts')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Replaces an active analyst's token hash; the old token stops working with this commit. */
export async function replaceAnalystTokenHash(
  db: Kysely<Database>,
  id: string,
  token: { hash: string; expiresAt: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('analysts')
    .set({ token_hash: token.hash, token_expires_at: token.expiresAt })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An analyst, revoked or not. */
export async function findAnalyst(db: Kysely<Database>, id: string): Promise<Analyst | undefined> {
  const row = await db.selectFrom('analysts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && withRoles(row);
}

/** An analyst who may still act (a batch keeps running only for an analyst not revoked). */
export async function findActiveAnalyst(db: Kysely<Database>, id: string): Promise<Analyst | undefined> {
  const row = await db
    .selectFrom('analysts')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && withRoles(row);
}

/** Returns false when no active analyst whose roles the relay manages has that id. */
export async function setAnalystRoles(
  db: Kysely<Database>,
  id: string,
  roles: readonly Role[],
): Promise<boolean> {
  const result = await db
    .updateTable('analysts')
    .set({ roles: rolesColumn(roles) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('roles_source', '=', 'relay')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An analyst who signs in with the identity provider, revoked or not (a revoked one stays out). */
export async function findAnalystBySubject(
  db: Kysely<Database>,
  subject: string,
): Promise<Analyst | undefined> {
  const row = await db
    .selectFrom('analysts')
    .select(COLUMNS)
    .where('oidc_subject', '=', subject)
    .executeTakeFirst();
  return row && withRoles(row);
}

/**
 * What the identity provider says now: name and e-mail at each sign-in and refresh; roles only when it
 * sent the groups they come from (`roles` undefined leaves them, and who manages them, as they were).
 */
export async function updateAnalystFromProvider(
  db: Kysely<Database>,
  id: string,
  values: {
    name: string;
    email: string | null;
    roles: readonly Role[] | undefined;
    /** Back to the relay when the provider's groups no longer set roles (OIDC_ROLE_GROUPS removed). */
    rolesSource?: 'relay';
  },
): Promise<void> {
  await db
    .updateTable('analysts')
    .set({
      name: values.name,
      email: values.email,
      ...(values.roles && { roles: rolesColumn(values.roles), roles_source: 'identity_provider' as const }),
      ...(values.rolesSource && { roles_source: values.rolesSource }),
    })
    .where('id', '=', id)
    .execute();
}
