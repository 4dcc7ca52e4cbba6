/**
 * Who may enter, and with which roles, from what the identity provider says of them (the ID token's
 * claims). Every rule the operator configured must hold: an allowed e-mail domain (a verified
 * address) and/or membership of an allowed group. Roles come from groups when OIDC_ROLE_GROUPS is set
 * and the provider sent the groups claim (everyone admitted is an analyst unless an analyst group is
 * named); otherwise `roles` is undefined and the relay keeps managing them (CLI, admins).
 */
import { ROLES, type Role } from '@lupa/contract';
import type { OidcConfig } from '../config.js';

export type AdmissionRule = Pick<
  OidcConfig,
  'allowedDomains' | 'allowedGroups' | 'groupsClaim' | 'roleGroups'
>;

export type Admission = { admitted: true; roles: Role[] | undefined } | { admitted: false; reason: string };

function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function admission(claims: Record<string, unknown>, rule: AdmissionRule): Admission {
  const groups = groupsOf(claims, rule.groupsClaim);
  if (rule.allowedDomains.length > 0) {
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
    if (!email) return { admitted: false, reason: 'the identity provider gave no e-mail address' };
    // Only an address the provider vouches for: a missing claim is not a verified address (Entra ID
    // sends none; admit its users by group instead, docs/rolling-out.md).
    if (claims.email_verified !== true)
      return { admitted: false, reason: 'the e-mail address is not verified' };
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!rule.allowedDomains.includes(domain))
      return { admitted: false, reason: `the e-mail domain ${domain} is not allowed` };
  }
  if (rule.allowedGroups.length > 0 && !groups.some((group) => rule.allowedGroups.includes(group)))
    return { admitted: false, reason: 'not a member of an allowed group' };
  // A refreshed ID token often carries no groups: silence about roles is not "no roles".
  if (Object.keys(rule.roleGroups).length === 0 || !(rule.groupsClaim in claims))
    return { admitted: true, roles: undefined };
  const roles = rolesFromGroups(groups, rule);
  if (roles.length === 0) return { admitted: false, reason: 'no role: not a member of any role group' };
  return { admitted: true, roles };
}

/** The roles OIDC_ROLE_GROUPS gives these groups: an analyst unless an analyst group is named. */
export function rolesFromGroups(groups: string[], rule: Pick<AdmissionRule, 'roleGroups'>): Role[] {
  return ROLES.filter((role) => {
    const group = rule.roleGroups[role];
    return group === undefined ? role === 'analyst' : groups.includes(group);
  });
}
