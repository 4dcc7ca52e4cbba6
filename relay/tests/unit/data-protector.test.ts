import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataProtector } from '../../src/privacy/data-protector.js';

const protector = createDataProtector(randomBytes(32));

describe('data protector', () => {
  it('round-trips text and JSON, with a fresh IV each time', () => {
    const first = protector.seal('1020304050', 'cedula');
    expect(first).toMatch(/^v1\./);
    expect(first).not.toContain('1020304050');
    expect(protector.seal('1020304050', 'cedula')).not.toBe(first);
    expect(protector.open(first, 'cedula')).toBe('1020304050');
    const payload = [{ employer_data: { name: 'Ñandú S.A.S.' } }];
    expect(protector.openJson(protector.sealJson(payload, 'employments'), 'employments')).toEqual(payload);
  });

  it('refuses a value moved to another column (context is authenticated)', () => {
    const sealed = protector.seal('1020304050', 'cedula');
    expect(() => protector.open(sealed, 'owners')).toThrow();
  });

  it('refuses a tampered value', () => {
    const sealed = protector.seal('1020304050', 'cedula');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => protector.open(`v1.${bytes.toString('base64url')}`, 'cedula')).toThrow();
  });

  it('refuses a value sealed with another key', () => {
    const other = createDataProtector(randomBytes(32));
    expect(() => protector.open(other.seal('x', 'cedula'), 'cedula')).toThrow();
  });

  it('hashes cédulas deterministically per key', () => {
    expect(protector.cedulaHash('1020304050')).toBe(protector.cedulaHash('1020304050'));
    expect(protector.cedulaHash('1020304050')).not.toBe(protector.cedulaHash('1020304051'));
    expect(createDataProtector(randomBytes(32)).cedulaHash('1020304050')).not.toBe(
      protector.cedulaHash('1020304050'),
    );
  });

  it('after a rotation, seals with the new key and still opens and finds what the old key stored', () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before = createDataProtector(oldKey);
    const sealedBefore = before.seal('SOL-2026-0001', 'consent_reference');
    const after = createDataProtector(newKey, [oldKey]);
    expect(after.open(sealedBefore, 'consent_reference')).toBe('SOL-2026-0001');
    expect(after.cedulaHash('1020304050')).toBe(createDataProtector(newKey).cedulaHash('1020304050'));
    expect(after.cedulaHashes('1020304050')).toEqual([
      after.cedulaHash('1020304050'),
      before.cedulaHash('1020304050'),
    ]);
    // New values need the new key: a node still on the old key alone cannot open them.
    expect(() => before.open(after.seal('x', 'cedula'), 'cedula')).toThrow();
    // A key that was never configured opens nothing.
    expect(() =>
      createDataProtector(randomBytes(32), [newKey]).open(sealedBefore, 'consent_reference'),
    ).toThrow();
  });
});
