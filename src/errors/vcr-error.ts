/** Stable codes for every failure the library throws. */
export type VcrErrorCode =
  | 'SPEC_NOT_FOUND'
  | 'SPEC_INVALID'
  | 'CONFIG_INVALID'
  | 'CASSETTE_NAME_INVALID'
  | 'CASSETTE_MALFORMED'
  | 'CASSETTE_WRITE_FAILED'
  | 'CASSETTE_LOCKED'
  | 'SERVER_START_FAILED'
  | 'UPSTREAM_FAILED'
  | 'STATE_MALFORMED'
  | 'STATE_LOCKED'
  | 'STATE_WRITE_FAILED';

/**
 * The one error type of the library. Messages follow one shape:
 * `Failed to <verb> <what>: <reason>`.
 */
export class VcrError extends Error {
  readonly code: VcrErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: VcrErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VcrError';
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}

export function isVcrError(value: unknown): value is VcrError {
  return value instanceof VcrError;
}
