/**
 * Request bodies with a size limit, refused with a 413 the client always gets to read. A server that
 * answers and closes while the client is still sending makes the client's kernel reset the
 * connection, which can throw away the 413 before the client reads it (seen as EPIPE or "socket hang
 * up": "too large" looked like a network failure). So the rest of an oversized body is read and
 * dropped first, up to DRAIN_MAX_BYTES for a request with credentials; past that, or for an anonymous
 * one, the relay stops reading and closes, as a proxy would.
 */
import { createMiddleware } from 'hono/factory';
import { ApiError, CLOSE_AFTER_REFUSING_BODY } from './api-error.js';
import type { AppEnv } from './app-env.js';

/** What the relay reads of a body it refuses, to answer cleanly: a few times the batch limit. */
export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;

/** `onRefused`: counted by the caller (the webhook metrics); `what`: named in the message. */
export function limitBodyTo(maxSize: number, options: { what?: string; onRefused?: () => void } = {}) {
  const limit = maxSize >= 1024 * 1024 ? `${maxSize / (1024 * 1024)} MB` : `${maxSize / 1024} KB`;
  // Read to its end, the body leaves the connection fit for the next request; cut short, it does not.
  const tooLarge = (readToEnd: boolean) => {
    options.onRefused?.();
    return new ApiError(
      413,
      'payload_too_large',
      `${options.what ?? 'Request bodies'} are limited to ${limit}`,
      readToEnd ? {} : CLOSE_AFTER_REFUSING_BODY,
    );
  };
  return createMiddleware<AppEnv>(async (c, next) => {
    const stream = c.req.raw.body;
    if (!stream) return next();
    const declared = c.req.raw.headers.has('transfer-encoding')
      ? undefined
      : Number(c.req.raw.headers.get('content-length') ?? Number.NaN);
    // Read to the end only for a request that names someone (checked later, but an anonymous client
    // gets no megabytes read for it): the others are cut at the limit.
    const drainMax = c.req.raw.headers.has('authorization') ? DRAIN_MAX_BYTES : maxSize;
    if (declared !== undefined && declared > drainMax) throw tooLarge(false);
    let over = declared !== undefined && declared > maxSize;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > drainMax) {
        await reader.cancel();
        throw tooLarge(false);
      }
      if (size > maxSize) over = true;
      if (!over) chunks.push(value);
    }
    if (over) throw tooLarge(true);
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body });
    await next();
  });
}
