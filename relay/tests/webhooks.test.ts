import { randomUUID } from 'node:crypto';
import type { Lookup } from '@lupa/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitUntilFinal } from './relay-harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());
afterEach(() => {
  Object.assign(stack.emulator.webhooks, {
    duplicate: false,
    drop: false,
    ownersFirst: false,
    beforeLinkResponse: false,
  });
});

/**
 * Whether any stored webhook contains `marker`. Refused webhooks carry a unique marker, so the check
 * is not confused by the emulator's own deliveries landing meanwhile.
 */
const storedWith = async (marker: string) =>
  (
    await stack.relay.ctx.store.db
      .selectFrom('webhook_events')
      .select('id')
      .where('body', 'like', `%${marker}%`)
      .execute()
  ).length > 0;

async function linkIdOf(lookupId: string): Promise<string> {
  await expect
    .poll(async () => ((await (await stack.api.get(`v1/lookups/${lookupId}`)).json()) as Lookup).stage)
    .toBe('waiting_for_belvo');
  const row = await stack.relay.ctx.store.db
    .selectFrom('lookups')
    .innerJoin('extractions', 'extractions.id', 'lookups.extraction_id')
    .select('extractions.belvo_link_id')
    .where('lookups.id', '=', lookupId)
    .executeTakeFirstOrThrow();
  return row.belvo_link_id!;
}

describe('Belvo delivering webhooks badly', () => {
  it('processes each webhook once when Belvo delivers it twice', async () => {
    stack.emulator.webhooks.duplicate = true;
    const started = await stack.startLookup('1020304050', { force: true });
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready.counts.employments).toEqual({ expected: 3, received: 3 });
    const linkId = await stack.relay.ctx.store.db
      .selectFrom('extractions')
      .select('belvo_link_id')
      .where('version', '=', ready.version)
      .where('status', '=', 'ready')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const events = await stack.relay.ctx.store.db
      .selectFrom('webhook_events')
      .select(['webhook_type', 'outcome'])
      .where('link_id', '=', linkId.belvo_link_id)
      .execute();
    expect(events).toHaveLength(2);
    await expect
      .poll(() => stack.emulator.deliveries.filter((delivery) => delivery.delivered).length)
      .toBeGreaterThanOrEqual(4);
    const duplicates = (await stack.relay.ctx.metrics.webhooksReceived.get()).values.find(
      (value) => value.labels.outcome === 'duplicate',
    );
    expect(duplicates?.value).toBeGreaterThanOrEqual(2);
  });

  it('reaches ready when OWNERS arrives before EMPLOYMENTS', async () => {
    stack.emulator.webhooks.ownersFirst = true;
    const started = await stack.startLookup('52123456');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready).toMatchObject({
      status: 'ready',
      counts: { employments: { received: 3 }, owners: { received: 1 } },
    });
  });

  it('keeps webhooks that arrive before the link is stored, and uses them once it is', async () => {
    stack.emulator.webhooks.beforeLinkResponse = true;
    const started = await stack.startLookup('1030405060');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    expect(ready.status).toBe('ready');
    expect(stack.logLines.some((line) => line.includes('webhook for a link not stored yet; kept'))).toBe(
      true,
    );
  });

  it('ignores a repeated webhook after the lookup is ready (same webhook_id)', async () => {
    const started = await stack.startLookup('33445566');
    const ready = await waitUntilFinal(stack.api, started.body.id);
    const first = stack.emulator.deliveries.at(-1)!;
    const response = await stack.webhook({
      webhook_id: first.webhookId,
      webhook_type: first.webhookType,
      link_id: 'x',
    });
    expect(await response.json()).toEqual({ received: true, duplicate: true });
    const after = (await (await stack.api.get(`v1/lookups/${started.body.id}`)).json()) as Lookup;
    expect(after.version).toBe(ready.version);
  });

  it('fails the lookup when a webhook carries a Belvo error', async () => {
    stack.emulator.webhooks.drop = true;
    const started = await stack.startLookup('44556677');
    const linkId = await linkIdOf(started.body.id);
    const response = await stack.webhook({
      webhook_id: 'f'.repeat(32),
      webhook_type: 'LINK',
      webhook_code: 'invalid_credentials',
      process_type: 'recurrent_update',
      link_id: linkId,
      data: {
        error_code: 'login_error',
        error_message: 'Invalid credentials provided to login to the institution',
        status: 400,
      },
    });
    expect(response.status).toBe(200);
    const failed = await waitUntilFinal(stack.api, started.body.id);
    expect(failed.error).toMatchObject({ code: 'belvo_login_error' });
  });

  it('stores a webhook for a link it never saw without failing, in case the link appears later', async () => {
    const response = await stack.webhook({
      webhook_id: 'e'.repeat(32),
      webhook_type: 'EMPLOYMENTS',
      webhook_code: 'historical_update',
      link_id: '00000000-0000-0000-0000-000000000000',
      data: { total_employments: 1 },
    });
    expect(response.status).toBe(200);
    const event = await stack.relay.ctx.store.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('webhook_id', '=', 'e'.repeat(32))
      .executeTakeFirstOrThrow();
    expect(event.processed_at).toBeNull();
  });
});

describe('the webhook endpoint refuses what is not Belvo', () => {
  it.each([
    ['a wrong Authorization', 'Bearer wrong'],
    ['an empty Authorization', ''],
  ])('401 with %s, and nothing stored', async (_case, authorization) => {
    const marker = randomUUID();
    const response = await stack.webhook({ webhook_id: marker, webhook_type: 'EMPLOYMENTS' }, authorization);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await storedWith(marker)).toBe(false);
  });

  it.each([
    ['malformed JSON', (marker: string) => `{"webhook_id": "${marker}"`, 'invalid_json'],
    [
      'no webhook_id',
      (marker: string) => JSON.stringify({ webhook_type: 'EMPLOYMENTS', link_id: marker }),
      'invalid_request',
    ],
    [
      'an empty webhook_id',
      (marker: string) => JSON.stringify({ webhook_id: '', link_id: marker }),
      'invalid_request',
    ],
    ['a JSON array', (marker: string) => JSON.stringify([{ webhook_id: marker }]), 'invalid_request'],
  ])('400 for %s, and nothing stored', async (_case, body, code) => {
    const marker = randomUUID();
    const response = await stack.webhook(body(marker));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code } });
    expect(await storedWith(marker)).toBe(false);
  });

  it('413 for a body over 1 MB, and nothing stored', async () => {
    const marker = randomUUID();
    const response = await stack.webhook({ webhook_id: marker, padding: 'x'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await storedWith(marker)).toBe(false);
  });

  it('stores a well-formed webhook, so the checks above can see one', async () => {
    const marker = randomUUID();
    expect((await stack.webhook({ webhook_id: marker, webhook_type: 'EMPLOYMENTS' })).status).toBe(200);
    expect(await storedWith(marker)).toBe(true);
  });
});

describe('lost webhooks', () => {
  it('reconciles by reading Belvo once WEBHOOK_TIMEOUT_SECONDS pass, waiting for Belvo to finish first', async () => {
    // Belvo needs 2.5 s, the relay gives up on webhooks after 1 s: it must not report an empty history.
    const lossy = await startStack({
      env: { WEBHOOK_TIMEOUT_SECONDS: '1' },
      emulator: { extractionMs: 2_500 },
    });
    try {
      lossy.emulator.webhooks.drop = true;
      const started = await lossy.startLookup('1020304050');
      const ready = await waitUntilFinal(lossy.api, started.body.id);
      expect(ready).toMatchObject({
        status: 'ready',
        counts: { employments: { expected: 3, received: 3 }, owners: { expected: 1, received: 1 } },
      });
      expect(lossy.emulator.deliveries).toHaveLength(0);
      expect((await lossy.relay.ctx.metrics.reconciliations.get()).values[0]?.value).toBe(1);
      expect(lossy.logLines.some((line) => line.includes('webhooks did not arrive in time'))).toBe(true);
    } finally {
      await lossy.stop();
    }
  });
});
