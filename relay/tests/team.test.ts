/**
 * What supervisors, the data-protection officer and admins do: the usage report checked against a
 * known sequence of lookups (API and CLI), a person's audit trail and erasure, roles and revocation.
 */
import type { Usage } from '@lupa/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bogotaDate } from '../src/lookups/bogota-day.js';
import { runCli } from './cli-runner.js';
import { type Stack, startStack, waitUntilFinal } from './relay-harness.js';

let stack: Stack;
let ana: Awaited<ReturnType<Stack['newAnalyst']>>;
let beto: Awaited<ReturnType<Stack['newAnalyst']>>;
let supervisor: Awaited<ReturnType<Stack['newAnalyst']>>;
let officer: Awaited<ReturnType<Stack['newAnalyst']>>;
let admin: Awaited<ReturnType<Stack['newAnalyst']>>;
const today = bogotaDate(new Date());

const consult = (api: typeof ana.api, cedula: string) =>
  api
    .post('v1/lookups', { json: { cedula, consent: { granted: true, reference: 'SOL-2026-0101' } } })
    .json<{ id: string }>();

beforeAll(async () => {
  stack = await startStack();
  ana = await stack.newAnalyst('Ana Ríos');
  beto = await stack.newAnalyst('Beto Díaz');
  supervisor = await stack.newAnalyst('Sara Supervisora', ['supervisor']);
  officer = await stack.newAnalyst('Olga Oficial', ['dpo']);
  admin = await stack.newAnalyst('Iván Admin', ['admin']);
  // Ana: a new lookup (a link), one Belvo refuses at creation (no link, a failure), and a third that
  // Beto joins while it runs. Beto: a reuse of Ana's ready report, and that join.
  await waitUntilFinal(ana.api, (await consult(ana.api, '1020304050')).id);
  await waitUntilFinal(ana.api, (await consult(ana.api, '1000000001')).id);
  await waitUntilFinal(beto.api, (await consult(beto.api, '1020304050')).id);
  const running = await consult(ana.api, '52123456');
  const joined = await consult(beto.api, '52123456');
  await waitUntilFinal(ana.api, running.id);
  await waitUntilFinal(beto.api, joined.id);
});
afterAll(() => stack.stop());

describe('the team’s usage', () => {
  it('counts each analyst’s lookups, reuses, Belvo links and failures per Bogotá day', async () => {
    const response = await supervisor.api.get('v1/usage', { searchParams: { from: today, to: today } });
    expect(response.status).toBe(200);
    const usage = (await response.json()) as Usage;
    const rowOf = (name: string) => usage.rows.find((row) => row.analystName === name);
    expect(rowOf('Ana Ríos')).toEqual({
      day: today,
      analystId: ana.id,
      analystName: 'Ana Ríos',
      lookups: 3,
      reuses: 0,
      linksRegistered: 2,
      failures: 1,
    });
    expect(rowOf('Beto Díaz')).toEqual({
      day: today,
      analystId: beto.id,
      analystName: 'Beto Díaz',
      lookups: 2,
      reuses: 2,
      linksRegistered: 0,
      failures: 0,
    });
    // The roles-only people did no lookups; the harness's own analyst neither.
    expect(usage.rows).toHaveLength(2);
  });

  it('is empty for days without lookups, and refuses a period that is not one', async () => {
    const empty = await supervisor.api.get('v1/usage', {
      searchParams: { from: '2020-01-01', to: '2020-01-31' },
    });
    expect(((await empty.json()) as Usage).rows).toEqual([]);
    for (const searchParams of [
      { from: '2026-11-30', to: '2026-11-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2024-01-01', to: '2025-12-31' },
      { from: 'ayer', to: 'hoy' },
      { from: '2026-11-01' },
    ]) {
      const response = await supervisor.api.get('v1/usage', { searchParams });
      expect(response.status, JSON.stringify(searchParams)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_period');
    }
  });

  it('prints the same figures from the command line, as a table and as CSV for Excel', () => {
    const csv = runCli(['usage', '--from', today, '--to', today, '--csv'], stack.env);
    expect(csv.status, csv.stderr).toBe(0);
    expect(
      csv.stdout.startsWith(
        '\uFEFFdia;analista_id;analista;consultas;reutilizadas_sin_cargo;consultas_a_pila;fallidas\r\n',
      ),
    ).toBe(true);
    const day = today.split('-').reverse().join('/');
    expect(csv.stdout).toContain(`${day};${ana.id};Ana Ríos;3;0;2;1\r\n`);
    expect(csv.stdout).toContain(`${day};${beto.id};Beto Díaz;2;2;0;0\r\n`);
    const table = runCli(['usage', '--from', today, '--to', today], stack.env);
    expect(table.stdout).toMatch(/Ana Ríos .*\s+3\s+0\s+2\s+1\n/);
    const refused = runCli(['usage', '--from', today], stack.env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('usage needs --from and --to');
  });
});

describe('the data-protection officer', () => {
  it('reads who consulted a person, with what consent, and erases them (the erasure names the officer)', async () => {
    const audit = await officer.api.post('v1/people/audit', { json: { cedula: '1.020.304.050' } });
    expect(audit.status).toBe(200);
    const { entries } = (await audit.json()) as {
      entries: Array<{ action: string; analyst: { name: string } | null; consentReference: string | null }>;
    };
    expect(entries.map((entry) => [entry.action, entry.analyst?.name])).toEqual(
      expect.arrayContaining([
        ['lookup_created', 'Ana Ríos'],
        ['link_registered', 'Ana Ríos'],
        ['lookup_reused', 'Beto Díaz'],
      ]),
    );
    expect(entries.find((entry) => entry.action === 'lookup_created')?.consentReference).toBe(
      'SOL-2026-0101',
    );

    const erased = await officer.api.post('v1/people/erase', { json: { cedula: '1020304050' } });
    expect(await erased.json()).toEqual({ extractionsErased: 1 });
    const after = (await (
      await officer.api.post('v1/people/audit', { json: { cedula: '1020304050' } })
    ).json()) as {
      entries: Array<{ action: string; analyst: { name: string } | null }>;
    };
    expect(after.entries.filter((entry) => entry.action === 'person_erased')).toEqual([
      expect.objectContaining({ analyst: expect.objectContaining({ name: 'Olga Oficial' }) }),
    ]);
    // The usage report still counts what was done: it reads the audit trail, not the erased lookups.
    const usage = (await supervisor.api
      .get('v1/usage', { searchParams: { from: today, to: today } })
      .json()) as Usage;
    expect(usage.rows.find((row) => row.analystId === ana.id)?.lookups).toBe(3);
  });

  it('leaves a trace of every access: each trail read, and an erasure that found nothing', async () => {
    type Trail = { entries: Array<{ action: string; analyst: { name: string } | null }> };
    const read = async (cedula: string) =>
      (await (await officer.api.post('v1/people/audit', { json: { cedula } })).json()) as Trail;
    // Nobody ever consulted 44.556.677: the erasure request is recorded all the same.
    expect(
      await (await officer.api.post('v1/people/erase', { json: { cedula: '44556677' } })).json(),
    ).toEqual({
      extractionsErased: 0,
    });
    const first = await read('44556677');
    const second = await read('44.556.677');
    const actions = (trail: Trail) =>
      trail.entries.map((entry) => [entry.action, entry.analyst?.name ?? null]);
    expect(actions(first)).toEqual([
      ['person_erased', 'Olga Oficial'],
      ['person_audited', 'Olga Oficial'],
    ]);
    expect(actions(second)).toEqual([...actions(first), ['person_audited', 'Olga Oficial']]);
    // From the command line the operator's reading is recorded too, by no analyst.
    const cli = runCli(['audit', '--cedula', '44556677'], stack.env);
    expect(cli.status).toBe(0);
    expect(actions(await read('44556677')).filter(([action]) => action === 'person_audited')).toEqual([
      ['person_audited', 'Olga Oficial'],
      ['person_audited', 'Olga Oficial'],
      ['person_audited', null],
      ['person_audited', 'Olga Oficial'],
    ]);
  });

  it('records each reading of the team’s usage, with who and which period', async () => {
    const before = await stack.relay.ctx.store.db
      .selectFrom('audit_log')
      .select(['analyst_id', 'detail'])
      .where('action', '=', 'usage_read')
      .execute();
    await supervisor.api.get('v1/usage', { searchParams: { from: today, to: today } });
    const after = await stack.relay.ctx.store.db
      .selectFrom('audit_log')
      .select(['analyst_id', 'detail'])
      .where('action', '=', 'usage_read')
      .orderBy('at')
      .execute();
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((entry) => entry.analyst_id === supervisor.id).length).toBeGreaterThan(0);
    expect(JSON.parse(after.at(-1)?.detail ?? '{}')).toHaveProperty('from');
  });

  it('refuses a cédula that is not one', async () => {
    const response = await officer.api.post('v1/people/audit', { json: { cedula: '0123' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_cedula');
  });
});

describe('the admin', () => {
  it('gives a supervisor the analyst role too, and revokes an analyst at once', async () => {
    const changed = await admin.api.post(`v1/analysts/${supervisor.id}/roles`, {
      json: { roles: ['supervisor', 'analyst'] },
    });
    expect(await changed.json()).toMatchObject({ id: supervisor.id, roles: ['analyst', 'supervisor'] });
    expect((await supervisor.api.post('v1/lookups/search', { json: { cedula: '52123456' } })).status).toBe(
      200,
    );

    expect((await beto.api.get('v1/me')).status).toBe(200);
    const revoked = await admin.api.post(`v1/analysts/${beto.id}/revoke`);
    expect(await revoked.json()).toMatchObject({ id: beto.id, revokedAt: expect.any(String) });
    expect((await beto.api.get('v1/me')).status).toBe(401);

    const team = (await admin.api.get('v1/analysts').json()) as {
      analysts: Array<{ name: string; roles: string[] }>;
    };
    expect(team.analysts.find((member) => member.name === 'Olga Oficial')?.roles).toEqual(['dpo']);
  });

  it('gets analyst_not_found for an id nobody has, and invalid_request for a role that does not exist', async () => {
    const missing = await admin.api.post('v1/analysts/nobody/revoke');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('analyst_not_found');
    const unknown = await admin.api.post(`v1/analysts/${ana.id}/roles`, { json: { roles: ['root'] } });
    expect(unknown.status).toBe(400);
  });

  it('cannot grant themselves a role: another admin or the command line does', async () => {
    const own = await admin.api.post(`v1/analysts/${admin.id}/roles`, { json: { roles: ['admin', 'dpo'] } });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { error: { code: string } }).error.code).toBe('own_roles_unchangeable');
    const team = (await admin.api.get('v1/analysts').json()) as {
      analysts: Array<{ id: string; roles: string[] }>;
    };
    expect(team.analysts.find((member) => member.id === admin.id)?.roles).toEqual(['admin']);
  });

  it('sets roles from the command line too, and lists them', () => {
    const set = runCli(['analysts', 'roles', ana.id, 'analyst,supervisor'], stack.env);
    expect(set.status, set.stderr).toBe(0);
    const list = runCli(['analysts', 'list'], stack.env);
    expect(list.stdout).toMatch(new RegExp(`${ana.id}\\s+Ana Ríos\\s+analyst,supervisor`));
    const wrong = runCli(['analysts', 'roles', ana.id, 'jefe'], stack.env);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('not: jefe');
    const added = runCli(['analysts', 'add', 'Diana', 'DPO', '--roles', 'dpo'], stack.env);
    expect(added.stdout).toContain('"Diana DPO" created');
    expect(added.stdout).toContain('Roles: dpo.');
  });
});
