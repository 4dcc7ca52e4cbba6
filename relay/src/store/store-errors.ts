/**
 * Tells a database that cannot be reached right now (a restart, a failover, a full pool) from a bug, so
 * clients hear "try again in a moment" (503 store_unavailable) rather than "the relay failed".
 */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08']; // connection exception
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
]);
const UNAVAILABLE_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection (is )?(closed|ended)/i,
  /client has encountered a connection error/i,
];

export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_BUSY') return true;
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SYSTEM_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  if (error instanceof AggregateError && error.errors.some(isStoreUnavailable)) return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}
