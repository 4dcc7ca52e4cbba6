/**
 * Personal data at rest (Ley 1581 de 2012): cédulas and report payloads are sealed with AES-256-GCM,
 * and equality by cédula goes through a keyed hash so the database never needs the clear value.
 * Both subkeys are derived from RELAY_ENCRYPTION_KEY, so operators manage a single secret.
 *
 * Rotation: new values are sealed and hashed with the current key only; values sealed or hashed with a
 * previous key (RELAY_PREVIOUS_ENCRYPTION_KEYS) are still opened and found, so nothing stored before a
 * rotation is lost. The audit trail keeps previous-key hashes for as long as it is kept.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a sealed value is for; bound as associated data so a value cannot be moved to another column. */
export type SealContext = 'cedula' | 'employments' | 'owners' | 'consent_reference';

export type DataProtector = {
  seal(plain: string, context: SealContext): string;
  open(sealed: string, context: SealContext): string;
  sealJson(value: unknown, context: SealContext): string;
  openJson<T>(sealed: string, context: SealContext): T;
  /** The hash new rows store. */
  cedulaHash(cedula: string): string;
  /** Every hash this cédula may be stored under: the current key's first, then each previous key's. */
  cedulaHashes(cedula: string): string[];
};

function subkey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'lupa-relay', purpose, 32));
}

export function createDataProtector(masterKey: Buffer, previousKeys: Buffer[] = []): DataProtector {
  const keys = [masterKey, ...previousKeys].map((key) => {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
    return { encryption: subkey(key, 'aes-256-gcm at rest'), hash: subkey(key, 'hmac-sha-256 cedula') };
  });
  const current = keys[0]!;
  const hashWith = (hashKey: Buffer, cedula: string) =>
    createHmac('sha256', hashKey).update(cedula).digest('hex');

  function seal(plain: string, context: SealContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.encryption, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  function openWith(encryptionKey: Buffer, bytes: Buffer, context: SealContext): string {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  function open(sealed: string, context: SealContext): string {
    const [format, payload] = sealed.split('.', 2);
    if (format !== FORMAT || payload === undefined) throw new Error(`unknown sealed format "${format}"`);
    const bytes = Buffer.from(payload, 'base64url');
    // GCM authenticates: a wrong key fails outright, so trying each key in turn is safe.
    let failure: unknown;
    for (const key of keys) {
      try {
        return openWith(key.encryption, bytes, context);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  return {
    seal,
    open,
    sealJson: (value, context) => seal(JSON.stringify(value), context),
    openJson: <T>(sealed: string, context: SealContext) => JSON.parse(open(sealed, context)) as T,
    cedulaHash: (cedula) => hashWith(current.hash, cedula),
    cedulaHashes: (cedula) => keys.map((key) => hashWith(key.hash, cedula)),
  };
}
