/**
 * Administering analysts: revoking one and setting their roles, each with its audit entry in the same
 * transaction. The CLI (an operator, `by` null) and the team routes (an admin) both go through here.
 */
import type { Role } from '@lupa/contract';
import { Refusal } from '../refusal.js';
import type { RelayContext } from '../relay-context.js';
import {
  type Analyst,
  findAnalyst,
  revokeAnalyst,
  setAnalystRoles,
} from '../store/queries/analysts-queries.js';
import { appendActionAudit } from '../store/queries/audit-log-queries.js';

export type AnalystRefusalCode =
  | 'analyst_not_found'
  | 'own_roles_unchangeable'
  | 'roles_managed_by_identity_provider';
export class AnalystRefusal extends Refusal<AnalystRefusalCode> {}

const notFound = () => new AnalystRefusal('analyst_not_found', 'No active analyst has that id');

export type AnalystAdmin = ReturnType<typeof createAnalystAdmin>;

export function createAnalystAdmin(ctx: Pick<RelayContext, 'store' | 'now'>) {
  const { db } = ctx.store;
  return {
    /** `by`: the admin's id, or null for an operator at the CLI. */
    async revoke(id: string, by: string | null): Promise<Analyst> {
      const at = ctx.now().toISOString();
      const revoked = await db.transaction().execute(async (trx) => {
        if (!(await revokeAnalyst(trx, id, at))) return undefined;
        await appendActionAudit(trx, 'analyst_revoked', by, at, { detail: { analystId: id } });
        return findAnalyst(trx, id);
      });
      if (!revoked) throw notFound();
      return revoked;
    },

    async setRoles(id: string, roles: Role[], by: string | null): Promise<Analyst> {
      // Nobody grants themselves a role (an admin making themselves the officer who reads every
      // person's trail): another admin, or an operator at the command line, does it.
      if (by !== null && by === id) {
        throw new AnalystRefusal(
          'own_roles_unchangeable',
          'Nobody changes their own roles; ask another admin',
        );
      }
      const at = ctx.now().toISOString();
      const changed = await db.transaction().execute(async (trx) => {
        const analyst = await findAnalyst(trx, id);
        // Edited here, they would be undone at the person's next sign-in or refresh.
        if (analyst?.roles_source === 'identity_provider')
          throw new AnalystRefusal(
            'roles_managed_by_identity_provider',
            "This person's roles come from the identity provider's groups (OIDC_ROLE_GROUPS); change their groups there",
          );
        if (!(await setAnalystRoles(trx, id, roles))) return undefined;
        await appendActionAudit(trx, 'roles_changed', by, at, { detail: { analystId: id, roles } });
        return findAnalyst(trx, id);
      });
      if (!changed) throw notFound();
      return changed;
    },
  };
}
