import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataProtector, type SealedField } from '../../src/privacy/data-protector.js';

const protector = createDataProtector(randomBytes(32));
const cedulaOf = (id: string): SealedField => ({ table: 'extractions', column: 'cedula_sealed', id });
const here = cedulaOf('extraction-1');

/** A value as the previous release sealed it: format v1, bound to its column's purpose only. */
function sealAsPreviousRelease(key: Buffer, plain: string, context: string): string {
  const encryption = Buffer.from(hkdfSync('sha256', key, 'lupa-relay', 'aes-256-gcm at rest', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryption, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

describe('data protector', () => {
  it('round-trips text and JSON, with a fresh IV each time', () => {
    const first = protector.seal('1020304050', here);
    expect(first).toMatch(/^v2\./);
    expect(first).not.toContain('1020304050');
    expect(protector.seal('1020304050', here)).not.toBe(first);
    expect(protector.open(first, here)).toBe('1020304050');
    const payload = [{ employer_data: { name: 'Ñandú S.A.S.' } }];
    const employments: SealedField = {
      table: 'extractions',
      column: 'employments_sealed',
      id: 'extraction-1',
    };
    expect(protector.openJson(protector.sealJson(payload, employments), employments)).toEqual(payload);
  });

  it.each<[string, SealedField]>([
    ['another row', cedulaOf('extraction-2')],
    ['another column', { table: 'extractions', column: 'owners_sealed', id: 'extraction-1' }],
    ['another table', { table: 'lookups', column: 'consent_reference_sealed', id: 'extraction-1' }],
  ])('refuses a value moved to %s (table, column and row are authenticated)', (_, elsewhere) => {
    const sealed = protector.seal('1020304050', here);
    expect(() => protector.open(sealed, elsewhere)).toThrow();
  });

  it('refuses a tampered value, and one too short to hold a 16-byte tag', () => {
    const sealed = protector.seal('1020304050', here);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => protector.open(`v2.${flipped.toString('base64url')}`, here)).toThrow();
    // The IV and 4 bytes of tag: the tag is always the 16 bytes after the IV, never fewer.
    const shortTag = Buffer.concat([bytes.subarray(0, 12), bytes.subarray(12, 16)]);
    expect(() => protector.open(`v2.${shortTag.toString('base64url')}`, here)).toThrow();
  });

  it('refuses a value sealed with another key', () => {
    const other = createDataProtector(randomBytes(32));
    expect(() => protector.open(other.seal('x', here), here)).toThrow();
  });

  it('opens what the previous release sealed (v1), for any row of its column, and says it is legacy', () => {
    const key = randomBytes(32);
    const legacy = sealAsPreviousRelease(key, 'SOL-2026-0001', 'consent_reference');
    const current = createDataProtector(key);
    expect(current.isLegacy(legacy)).toBe(true);
    const field: SealedField = { table: 'lookups', column: 'consent_reference_sealed', id: 'lookup-9' };
    expect(current.open(legacy, field)).toBe('SOL-2026-0001');
    expect(() => current.open(legacy, cedulaOf('lookup-9'))).toThrow();
    expect(current.isLegacy(current.seal('x', field))).toBe(false);
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
    const consent: SealedField = { table: 'audit_log', column: 'consent_reference_sealed', id: 'entry-1' };
    const sealedBefore = before.seal('SOL-2026-0001', consent);
    const after = createDataProtector(newKey, [oldKey]);
    expect(after.open(sealedBefore, consent)).toBe('SOL-2026-0001');
    expect(after.cedulaHash('1020304050')).toBe(createDataProtector(newKey).cedulaHash('1020304050'));
    expect(after.cedulaHashes('1020304050')).toEqual([
      after.cedulaHash('1020304050'),
      before.cedulaHash('1020304050'),
    ]);
    // New values need the new key: a node still on the old key alone cannot open them.
    expect(() => before.open(after.seal('x', here), here)).toThrow();
    // A key that was never configured opens nothing.
    expect(() => createDataProtector(randomBytes(32), [newKey]).open(sealedBefore, consent)).toThrow();
  });
});
