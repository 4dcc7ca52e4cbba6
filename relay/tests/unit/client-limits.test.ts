import { describe, expect, it } from 'vitest';
import { clientAddressOf, createClientCounter } from '../../src/http/client-limits.js';

describe('whose connection it is', () => {
  it.each([
    ['no proxy trusted: the socket', '198.51.100.1', '10.0.0.5', false, '10.0.0.5'],
    [
      'any proxy trusted: the last entry, the proxy’s own',
      '198.51.100.1, 203.0.113.7',
      '10.0.0.5',
      true,
      '203.0.113.7',
    ],
    ['a listed proxy: the last entry', '203.0.113.7', '10.0.0.5', ['10.0.0.5'], '203.0.113.7'],
    [
      'a listed proxy seen on a dual-stack socket',
      '203.0.113.7',
      '::ffff:10.0.0.5',
      ['10.0.0.5'],
      '203.0.113.7',
    ],
    ['someone else naming an address: themselves', '203.0.113.7', '192.0.2.9', ['10.0.0.5'], '192.0.2.9'],
    ['a trusted proxy that sent no header: the proxy', undefined, '10.0.0.5', true, '10.0.0.5'],
  ] as const)('%s', (_what, forwardedFor, socket, trust, expected) => {
    expect(clientAddressOf(forwardedFor, socket, trust as boolean | string[])).toBe(expected);
  });
});

describe('counting them', () => {
  it('admits up to the cap per address, and one more once one closes', () => {
    const counter = createClientCounter(2);
    expect([counter.tryOpen('a'), counter.tryOpen('a'), counter.tryOpen('a'), counter.tryOpen('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    counter.close('a');
    expect(counter.tryOpen('a')).toBe(true);
    counter.close('b');
    counter.close('b');
    expect(counter.openOf('b')).toBe(0);
  });
});
