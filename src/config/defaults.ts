import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: `src/config` and `dist/config` are both two levels down. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The pinned Appwrite 1.5.0 server spec: inside the published package; in a clone, put there by `npm ci` (`npm run spec`). */
export const DEFAULT_SPEC = join(PACKAGE_ROOT, 'spec', 'vendor', 'open-api3-1.5.0-server.json');

export const DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  cassettes: 'cassettes',
  cassette: 'default',
  strict: false,
  /** Answer what no cassette holds like Appwrite would (see FALLBACK_MODES). */
  fallback: 'stateful',
  /** Request bodies above this get 413 before anything is read further. */
  maxBodyBytes: 100 * 1024 * 1024,
  /** File parts up to this size keep their bytes (base64) in a cassette. */
  storeFileLimit: 1024 * 1024,
  /** A request (headers and body) that has not arrived whole after this long gets 408 and its connection closed. */
  requestTimeoutMs: 60_000,
} as const;

/** An admin token shorter than this is refused: it would be guessed. */
export const ADMIN_TOKEN_MIN_LENGTH = 16;

export const RECORD_DEFAULTS = {
  mode: 'all',
  /** No answer from the upstream within this many milliseconds gives 504. */
  upstreamTimeoutMs: 30_000,
  insecure: false,
} as const;
