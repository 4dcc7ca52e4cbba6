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

/** Values sealed from now on: bound to their table, column and row. */
const FORMAT = 'v2';
/** Values sealed before that, bound to their column's purpose only; opened, then re-sealed at start. */
const LEGACY_FORMAT = 'v1';
const IV_BYTES = 12;
/** Pinned: GCM accepts shorter tags, which an attacker able to write the database could use. */
const TAG_BYTES = 16;

/**
 * Where a sealed value lives. The whole of it is the associated data, so a value copied to another
 * column, another table or another row no longer opens.
 */
export type SealedField =
  | { table: 'extractions'; column: 'cedula_sealed' | 'employments_sealed' | 'owners_sealed'; id: string }
  | { table: 'lookups' | 'audit_log'; column: 'consent_reference_sealed'; id: string }
  | { table: 'batch_rows'; column: 'cedula_sealed' | 'consent_reference_sealed'; id: string }
  | { table: 'sign_in_codes' | 'sessions'; column: 'idp_refresh_sealed'; id: string }
  | { table: 'sign_in_state'; column: 'provider_state'; id: 'in_flight' }
  | { table: 'spent_refresh_tokens'; column: 'successor_sealed'; id: string };

/** What a v1 value was bound to: the purpose of its column, not its row. */
const LEGACY_CONTEXT: Record<SealedField['column'], string> = {
  cedula_sealed: 'cedula',
  employments_sealed: 'employments',
  owners_sealed: 'owners',
  consent_reference_sealed: 'consent_reference',
  // Written only with row binding: no v1 value of it exists.
  idp_refresh_sealed: 'idp_refresh',
  provider_state: 'provider_state',
  successor_sealed: 'successor',
};

export type DataProtector = {
  seal(plain: string, field: SealedField): string;
  open(sealed: string, field: SealedField): string;
  sealJson(value: unknown, field: SealedField): string;
  openJson<T>(sealed: string, field: SealedField): T;
  /** Whether a stored value predates the row binding (re-sealed at start, see reseal-legacy-values.ts). */
  isLegacy(sealed: string): boolean;
  /** The hash new rows store. */
  cedulaHash(cedula: string): string;
  /** Every hash this cédula may be stored under: the current key's first, then each previous key's. */
  cedulaHashes(cedula: string): string[];
};

function subkey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'lupa-relay', purpose, 32));
}

const associatedData = (field: SealedField) => Buffer.from(`${field.table}.${field.column}.${field.id}`);

export function createDataProtector(masterKey: Buffer, previousKeys: Buffer[] = []): DataProtector {
  const keys = [masterKey, ...previousKeys].map((key) => {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
    return { encryption: subkey(key, 'aes-256-gcm at rest'), hash: subkey(key, 'hmac-sha-256 cedula') };
  });
  const current = keys[0]!;
  const hashWith = (hashKey: Buffer, cedula: string) =>
    createHmac('sha256', hashKey).update(cedula).digest('hex');

  function seal(plain: string, field: SealedField): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.encryption, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(field));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  function openWith(encryptionKey: Buffer, bytes: Buffer, aad: Buffer): string {
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, bytes.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  function open(sealed: string, field: SealedField): string {
    const [format, payload] = sealed.split('.', 2);
    if ((format !== FORMAT && format !== LEGACY_FORMAT) || payload === undefined) {
      throw new Error(`unknown sealed format "${format}"`);
    }
    const aad = format === FORMAT ? associatedData(field) : Buffer.from(LEGACY_CONTEXT[field.column]);
    const bytes = Buffer.from(payload, 'base64url');
    // GCM authenticates: a wrong key fails outright, so trying each key in turn is safe.
    let failure: unknown;
    for (const key of keys) {
      try {
        return openWith(key.encryption, bytes, aad);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  return {
    seal,
    open,
    sealJson: (value, field) => seal(JSON.stringify(value), field),
    openJson: <T>(sealed: string, field: SealedField) => JSON.parse(open(sealed, field)) as T,
    isLegacy: (sealed) => sealed.startsWith(`${LEGACY_FORMAT}.`),
    cedulaHash: (cedula) => hashWith(current.hash, cedula),
    cedulaHashes: (cedula) => keys.map((key) => hashWith(key.hash, cedula)),
  };
}
