import { describe, expect, it } from 'vitest';
import { type AdmissionRule, admission } from '../../src/sign-in/admission.js';

const byDomain: AdmissionRule = {
  allowedDomains: ['banco.com.co'],
  allowedGroups: [],
  groupsClaim: 'groups',
  roleGroups: { supervisor: 'sup', dpo: 'datos', admin: 'admin' },
};
const byGroup: AdmissionRule = { ...byDomain, allowedDomains: [], allowedGroups: ['lupa'] };
const both: AdmissionRule = { ...byDomain, allowedGroups: ['lupa'] };
const analystsByGroup: AdmissionRule = { ...byGroup, roleGroups: { analyst: 'analistas', admin: 'admin' } };

describe('admission', () => {
  it.each([
    // null: admitted, and the provider said nothing of roles (no groups claim): the relay manages them.
    [
      'a verified address of the domain, no groups claim',
      byDomain,
      { email: 'ana@banco.com.co', email_verified: true },
      null,
    ],
    ['the domain in capitals', byDomain, { email: 'Ana@BANCO.com.co', email_verified: true }, null],
    [
      'a groups claim with no role group in it',
      byDomain,
      { email: 'ana@banco.com.co', email_verified: true, groups: [] },
      ['analyst'],
    ],
    [
      'groups sent but OIDC_ROLE_GROUPS unset',
      { ...byDomain, roleGroups: {} },
      { email: 'ana@banco.com.co', email_verified: true, groups: ['sup'] },
      null,
    ],
    [
      'an address with no email_verified claim',
      byDomain,
      { email: 'ana@banco.com.co' },
      'the e-mail address is not verified',
    ],
    [
      'email_verified as the string "true"',
      byDomain,
      { email: 'ana@banco.com.co', email_verified: 'true' },
      'the e-mail address is not verified',
    ],
    [
      'groups giving roles',
      byDomain,
      { email: 'a@banco.com.co', email_verified: true, groups: ['sup', 'admin'] },
      ['analyst', 'supervisor', 'admin'],
    ],
    [
      'another domain',
      byDomain,
      { email: 'ana@banco.com.co.evil.com', email_verified: true },
      'the e-mail domain banco.com.co.evil.com is not allowed',
    ],
    [
      'an unverified address',
      byDomain,
      { email: 'ana@banco.com.co', email_verified: false },
      'the e-mail address is not verified',
    ],
    ['no address', byDomain, { groups: ['lupa'] }, 'the identity provider gave no e-mail address'],
    ['a member of the group', byGroup, { groups: ['lupa'] }, ['analyst']],
    ['one group as a string', byGroup, { groups: 'lupa' }, ['analyst']],
    ['not a member', byGroup, { groups: ['otros'] }, 'not a member of an allowed group'],
    [
      'both rules, both hold',
      both,
      { email: 'a@banco.com.co', email_verified: true, groups: ['lupa'] },
      ['analyst'],
    ],
    [
      'both rules, the group missing',
      both,
      { email: 'a@banco.com.co', email_verified: true, groups: [] },
      'not a member of an allowed group',
    ],
    ['analysts by group: an admin only', analystsByGroup, { groups: ['lupa', 'admin'] }, ['admin']],
    [
      'analysts by group: no role group',
      analystsByGroup,
      { groups: ['lupa'] },
      'no role: not a member of any role group',
    ],
  ] as const)('%s', (_what, rule, claims, expected) => {
    const result = admission(claims, rule);
    if (typeof expected === 'string') expect(result).toEqual({ admitted: false, reason: expected });
    else expect(result).toEqual({ admitted: true, roles: expected ?? undefined });
  });
});
