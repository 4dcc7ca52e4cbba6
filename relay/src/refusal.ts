/**
 * What a service refuses, in the contract's stable codes. Services throw these and know nothing of
 * HTTP; http/refusal-status.ts alone gives each code its status.
 */
import type { ErrorCode } from '@lupa/contract';

export class Refusal<Code extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** When the same request can succeed again (the daily limit's reset, a wait slot freeing). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
