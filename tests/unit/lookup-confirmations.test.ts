import { describe, expect, it } from 'vitest';
import {
  CONFIRM_WITHIN_MS,
  createLookupConfirmations,
  type PendingLookup,
} from '../../utils/background/lookup-confirmations.js';

function setUp() {
  let kept: Record<string, PendingLookup> = {};
  let clock = 1_000_000;
  let ids = 0;
  const confirmations = createLookupConfirmations(
    {
      load: async () => structuredClone(kept),
      save: async (next) => {
        kept = structuredClone(next);
      },
    },
    { now: () => clock, newId: () => `solicitud-${++ids}` },
  );
  return { confirmations, kept: () => kept, advance: (ms: number) => (clock += ms) };
}

const asked = { cedula: '80123456', consentReference: 'AUT-1', site: 'https://crm.banco.com.co', tabId: 7 };

describe('lookups waiting for the analyst’s confirmation', () => {
  it('is read as often as needed, and taken once', async () => {
    const { confirmations } = setUp();
    const id = (await confirmations.request(asked))!;
    expect(await confirmations.read(id)).toMatchObject(asked);
    expect(await confirmations.read(id)).toMatchObject(asked);
    expect(await confirmations.take(id)).toMatchObject(asked);
    expect(await confirmations.take(id)).toBeUndefined();
    expect(await confirmations.read(id)).toBeUndefined();
  });

  it('expires unanswered after two minutes, and is then dropped from storage', async () => {
    const { confirmations, advance, kept } = setUp();
    const id = (await confirmations.request(asked))!;
    advance(CONFIRM_WITHIN_MS - 1);
    expect(await confirmations.read(id)).toBeDefined();
    advance(1);
    expect(await confirmations.take(id)).toBeUndefined();
    expect(kept()).toEqual({});
  });

  it('keeps one request per tab waiting: a page luring clicks opens no more windows', async () => {
    const { confirmations } = setUp();
    const first = (await confirmations.request(asked))!;
    expect(await confirmations.request({ ...asked, cedula: '52123456' })).toBeUndefined();
    const otherTab = (await confirmations.request({ ...asked, cedula: '52123456', tabId: 8 }))!;
    expect((await confirmations.take(otherTab))?.cedula).toBe('52123456');
    expect((await confirmations.take(first))?.cedula).toBe('80123456');
    expect(await confirmations.request(asked)).toBeDefined();
  });

  it('gives a request to one of two answers at once', async () => {
    const { confirmations } = setUp();
    const id = (await confirmations.request(asked))!;
    const answers = await Promise.all([confirmations.take(id), confirmations.take(id)]);
    expect(answers.filter(Boolean)).toHaveLength(1);
  });
});
