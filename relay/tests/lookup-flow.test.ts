import type { Lookup, Me, Report } from '@lupa/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-runner.js';
import { analystClient, type Stack, startStack, waitUntilFinal } from './relay-harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { ANALYST_DAILY_LIMIT: '50', ALERT_INCOME_DROP_PERCENT: '25' } });
});
afterAll(() => stack.stop());

describe('a lookup from request to report', () => {
  it('reaches ready with every page of employments and the owner, as Belvo sent them', async () => {
    const started = await stack.startLookup('1.020.304.050');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: 'pending',
      cedulaMasked: '******4050',
      reused: false,
      error: null,
    });

    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready).toMatchObject({
      status: 'ready',
      stage: 'done',
      counts: { employments: { expected: 3, received: 3 }, owners: { expected: 1, received: 1 } },
    });

    const response = await stack.api.get(`v1/lookups/${started.body.id}/report`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    // The emulator pages by 2, so 3 employers means the relay followed `next`.
    expect(report.employments).toHaveLength(3);
    expect(report.owners[0]).toMatchObject({
      display_name: 'María Fernanda Gómez Restrepo',
      document_id: { document_type: 'CC', document_number: '1020304050' },
    });
    const employer = report.employments.find(
      (employment) => employment.employer_data?.id_number === 900482317,
    );
    expect(employer?.salary_and_benefit_details).toHaveLength(24);
    // Unknown fields are kept as received.
    expect(employer?.employer_data).toHaveProperty('contributor_class_code', 'A');
  });

  it('answers 409 not_ready for the report while the lookup is pending', async () => {
    const started = await stack.startLookup('1000000003', { force: true });
    const response = await stack.api.get(`v1/lookups/${started.body.id}/report`);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'not_ready' } });
  });

  it('treats total_employments: 0 as a ready result with no employments', async () => {
    const started = await stack.startLookup('1030405060');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready.status).toBe('ready');
    expect(ready.counts.employments).toEqual({ expected: 0, received: 0 });
    const report = (await (await stack.api.get(`v1/lookups/${started.body.id}/report`)).json()) as Report;
    expect(report.employments).toEqual([]);
    expect(report.owners).toHaveLength(1);
  });

  it('keeps a record of another shape as Belvo sent it, and the lookup is ready', async () => {
    // 1000000014's last record is a bare string: real data may hold anything; the extension counts it.
    const started = await stack.startLookup('1000000014');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready.status).toBe('ready');
    const report = (await (await stack.api.get(`v1/lookups/${started.body.id}/report`)).json()) as {
      employments: unknown[];
    };
    expect(report.employments.at(-1)).toBe('registro truncado');
    expect(report.employments.length).toBe(ready.counts.employments.expected);
  });
});

describe('reuse and force', () => {
  it('reuses a ready lookup of the same cédula without a new Belvo link, unless forced', async () => {
    const first = await stack.startLookup('71234567');
    await waitUntilFinal(stack.api, first.body.id);
    const linksBefore = stack.emulator.counters.linksCreated;

    const again = await stack.startLookup('71 234 567');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'ready', reused: true });
    expect(again.body.id).not.toBe(first.body.id);
    expect(stack.emulator.counters.linksCreated).toBe(linksBefore);

    const forced = await stack.startLookup('71234567', { force: true });
    expect(forced.status).toBe(202);
    expect(forced.body.reused).toBe(false);
    await waitUntilFinal(stack.api, forced.body.id);
    expect(stack.emulator.counters.linksCreated).toBe(linksBefore + 1);
  });

  it('makes concurrent requests for one person share a single Belvo link', async () => {
    const linksBefore = stack.emulator.counters.linksCreated;
    const other = await stack.newAnalyst('Beto Analista');
    const requests = await Promise.all([
      stack.startLookup('80123456'),
      stack.startLookup('80123456'),
      other.api.post('v1/lookups', { json: { cedula: '80123456', consent: { granted: true } } }),
    ]);
    const ids = [requests[0].body.id, requests[1].body.id];
    await Promise.all(ids.map((id) => waitUntilFinal(stack.api, id)));
    expect(stack.emulator.counters.linksCreated).toBe(linksBefore + 1);
    expect(requests[2].status).toBe(202);
  });
});

describe('what an analyst can see', () => {
  it('lists the analyst’s lookups of a cédula, newest first, and hides other analysts’ lookups', async () => {
    const first = await stack.startLookup('91234567');
    await waitUntilFinal(stack.api, first.body.id);
    const second = await stack.startLookup('91234567');

    const list = await stack.api.post('v1/lookups/search', { json: { cedula: '91.234.567' } });
    const { lookups } = (await list.json()) as { lookups: Lookup[] };
    expect(lookups.map((lookup) => lookup.id)).toEqual([second.body.id, first.body.id]);

    const stranger = await stack.newAnalyst('Otra Persona');
    expect((await stranger.api.get(`v1/lookups/${first.body.id}`)).status).toBe(404);
    expect((await stranger.api.get(`v1/lookups/${first.body.id}/report`)).status).toBe(404);
    const strangerList = (await (
      await stranger.api.post('v1/lookups/search', { json: { cedula: '91234567' } })
    ).json()) as {
      lookups: Lookup[];
    };
    expect(strangerList.lookups).toEqual([]);
  });

  it('tells the analyst who they are and their usage today', async () => {
    const me = (await (await stack.api.get('v1/me')).json()) as Me;
    expect(me.name).toBe('Ana Analista');
    expect(me.usage.dailyLimit).toBe(50);
    expect(me.usage.lookupsToday).toBeGreaterThan(0);
    expect(Date.parse(me.usage.resetsAt)).toBeGreaterThan(Date.now());
    // The lender's alert thresholds (ALERT_*), the unset ones at Lupa's defaults, for every analyst.
    expect(me.policies).toEqual({
      reuseWindowHours: 24,
      alertThresholds: {
        recentHireMonths: 6,
        intermittentBelowMonths: 10,
        incomeDropPercent: 25,
        declaredRatioAbove: 1.25,
      },
    });
    // The lender's name for the credit-file report (LENDER_NAME).
    expect(me.lender).toEqual({ name: 'Financiera Andina de Prueba S.A.' });
  });
});

describe('long-poll', () => {
  it('answers at once when the version is already past sinceVersion', async () => {
    const started = await stack.startLookup('61234567');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    const response = await stack.api.get(`v1/lookups/${started.body.id}`, {
      searchParams: { sinceVersion: ready.version - 1, waitSeconds: 30 },
    });
    expect(((await response.json()) as Lookup).version).toBe(ready.version);
  });

  it('returns the unchanged lookup when the wait ends without a change', async () => {
    const started = await stack.startLookup('61234567');
    const response = await stack.api.get(`v1/lookups/${started.body.id}`, {
      searchParams: { sinceVersion: started.body.version, waitSeconds: 1 },
    });
    expect(((await response.json()) as Lookup).version).toBe(started.body.version);
  });

  it('releases the waiter when the client disconnects', async () => {
    const started = await stack.startLookup('61234567');
    const gauge = async () => (await stack.relay.ctx.metrics.openLongPolls.get()).values[0]?.value ?? 0;
    const controller = new AbortController();
    const polling = stack.api
      .get(`v1/lookups/${started.body.id}`, {
        searchParams: { sinceVersion: started.body.version, waitSeconds: 30 },
        signal: controller.signal,
      })
      .catch(() => 'aborted');
    await expect.poll(gauge).toBe(1);
    controller.abort();
    await polling;
    await expect.poll(gauge).toBe(0);
  });

  it('rejects waitSeconds outside 1 to 30', async () => {
    const started = await stack.startLookup('61234567');
    const response = await stack.api.get(`v1/lookups/${started.body.id}`, {
      searchParams: { waitSeconds: 31 },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('deletion on request', () => {
  it('removes the last lookup of a person with the data, and asks Belvo to delete the link asynchronously', async () => {
    const started = await stack.startLookup('41234567');
    await waitUntilFinal(stack.api, started.body.id);
    const deletedBefore = stack.emulator.counters.linksDeleted;

    const response = await stack.api.delete(`v1/lookups/${started.body.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: true, id: started.body.id });
    expect((await stack.api.get(`v1/lookups/${started.body.id}`)).status).toBe(404);
    expect((await stack.api.get(`v1/lookups/${started.body.id}/report`)).status).toBe(404);
    await expect
      .poll(() => stack.emulator.counters.linksDeleted, { timeout: 10_000 })
      .toBe(deletedBefore + 1);

    // A new request for the same person must not reuse what was deleted.
    const again = await stack.startLookup('41234567');
    expect(again.status).toBe(202);
  });

  it('takes only the asking analyst’s access while another analyst’s lookup uses the report', async () => {
    const added = runCli(['analysts', 'add', 'Beto', 'Bravo'], stack.env);
    const other = analystClient(stack.relay.url, added.stdout.trimEnd().split('\n').at(-1)!);
    const first = await stack.startLookup('41234577');
    await waitUntilFinal(stack.api, first.body.id);
    const reused = await other.post('v1/lookups', {
      json: { cedula: '41234577', consent: { granted: true } },
    });
    expect(reused.status).toBe(200);
    const reusedId = ((await reused.json()) as Lookup).id;

    expect((await other.delete(`v1/lookups/${reusedId}`)).status).toBe(200);
    expect((await other.get(`v1/lookups/${reusedId}`)).status).toBe(404);
    expect((await stack.api.get(`v1/lookups/${first.body.id}/report`)).status).toBe(200);
    const { db } = stack.relay.ctx.store;
    const { extraction_id } = await db
      .selectFrom('lookups')
      .select('extraction_id')
      .where('id', '=', first.body.id)
      .executeTakeFirstOrThrow();
    const linkDeletions = () =>
      db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'delete_link')
        .where('subject_id', '=', extraction_id)
        .execute();
    expect(await linkDeletions()).toEqual([]);

    // The last analyst's deletion takes the data and the link with it.
    expect((await stack.api.delete(`v1/lookups/${first.body.id}`)).status).toBe(200);
    expect(await linkDeletions()).toHaveLength(1);
    expect((await stack.api.get(`v1/lookups/${first.body.id}`)).status).toBe(404);
  });
});

describe('daily limit', () => {
  it('answers 429 daily_limit_reached with Retry-After once the analyst used the day', async () => {
    const limited = await startStack({ env: { ANALYST_DAILY_LIMIT: '2' } });
    try {
      expect((await limited.startLookup('31234567')).status).toBe(202);
      expect((await limited.startLookup('31234568')).status).toBe(202);
      const refused = await limited.api.post('v1/lookups', {
        json: { cedula: '31234569', consent: { granted: true } },
      });
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
      expect(await refused.json()).toMatchObject({ error: { code: 'daily_limit_reached' } });
    } finally {
      await limited.stop();
    }
  });

  it('counts what was admitted: deleting a lookup gives nothing back, and a refusal registers no link', async () => {
    const limited = await startStack({ env: { ANALYST_DAILY_LIMIT: '3' } });
    try {
      const admitted = [];
      for (const cedula of ['41234561', '41234562', '41234563']) {
        const started = await limited.startLookup(cedula);
        expect(started.status).toBe(202);
        admitted.push(started.body.id);
      }
      await waitUntilFinal(limited.api, admitted[0]!);
      expect((await limited.api.delete(`v1/lookups/${admitted[0]}`)).status).toBe(200);
      const refused = await limited.api.post('v1/lookups', {
        json: { cedula: '41234564', consent: { granted: true } },
      });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'daily_limit_reached' } });
      const me = (await (await limited.api.get('v1/me')).json()) as Me;
      expect(me.usage).toMatchObject({ lookupsToday: 3, dailyLimit: 3 });
      await Promise.all(admitted.slice(1).map((id) => waitUntilFinal(limited.api, id)));
      expect(limited.emulator.counters.linksCreated).toBe(3);
    } finally {
      await limited.stop();
    }
  });
});

describe('long-polls per analyst', () => {
  it('answers 429 too_many_waits with Retry-After past MAX_WAITS_PER_ANALYST, and admits again when one ends', async () => {
    const capped = await startStack({
      env: { MAX_WAITS_PER_ANALYST: '3' },
      emulator: { extractionMs: 30_000 },
    });
    try {
      const started = await capped.startLookup('61234599');
      const wait = (signal?: AbortSignal) =>
        capped.api.get(`v1/lookups/${started.body.id}`, {
          searchParams: { sinceVersion: started.body.version + 100, waitSeconds: 10 },
          ...(signal ? { signal } : {}),
          timeout: 20_000,
        });
      const openLongPolls = () =>
        capped.relay.ctx.metrics.openLongPolls.get().then((metric) => metric.values[0]?.value);
      const leaving = new AbortController();
      const held = [wait(leaving.signal), wait(), wait()];
      // Only once the relay holds all three: asking earlier would make the question a fourth wait.
      await expect.poll(openLongPolls, { timeout: 10_000 }).toBe(3);
      const refused = await wait();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ error: { code: 'too_many_waits' } });

      leaving.abort();
      await held[0]!.catch(() => undefined);
      await expect.poll(openLongPolls, { timeout: 5_000 }).toBe(2);
      const admitted = wait();
      await expect.poll(openLongPolls, { timeout: 5_000 }).toBe(3);
      await Promise.all([admitted, ...held.slice(1)]).then((answers) =>
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]),
      );
    } finally {
      await capped.stop();
    }
  });
});
