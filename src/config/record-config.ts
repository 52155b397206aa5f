import { RECORD_DEFAULTS } from './defaults.js';
import { choose, invalid, type Choices } from './choices.js';
import { resolveListenConfig, type ListenConfig, type ListenOptions } from './server-config.js';

/** How `record` treats a request that a cassette already holds. */
export const RECORD_MODES = {
  all: 'forward and record every request',
  new: 'answer from the cassette when a recording matches, record the rest',
  once: 'record a new cassette (as all); replay an existing one, where a miss is an error',
} as const satisfies Choices<string>;

export type RecordMode = keyof typeof RECORD_MODES;

/** Options of `startRecorder`, mirroring the `record` flags. */
export interface RecordOptions extends ListenOptions {
  /** The Appwrite to forward to, including its `/v1` (e.g. `https://cloud.appwrite.io/v1`). Required. */
  upstream: string;
  /** Default `all`. */
  mode?: RecordMode;
  /** Accept a self-signed or otherwise untrusted certificate from the upstream. Default false. */
  insecure?: boolean;
  /** Milliseconds to wait for the upstream's answer before answering 504. Default 30 000. */
  upstreamTimeoutMs?: number;
}

export interface RecordConfig extends ListenConfig {
  readonly upstream: string;
  readonly mode: RecordMode;
  readonly insecure: boolean;
  readonly upstreamTimeoutMs: number;
}

/** Fills defaults, checks every value, and freezes the result. */
export function resolveRecordConfig(options: RecordOptions): RecordConfig {
  const {
    upstream,
    mode = RECORD_DEFAULTS.mode,
    insecure = RECORD_DEFAULTS.insecure,
    upstreamTimeoutMs = RECORD_DEFAULTS.upstreamTimeoutMs,
    ...server
  } = options;
  let url: URL | null = null;
  try {
    url = new URL(upstream);
  } catch {
    // reported below with the option's name
  }
  if (url && (url.username !== '' || url.password !== '')) {
    // @note Node's client never sends URL credentials, and the URL is printed in the start line and in errors.
    url.username = '';
    url.password = '';
    invalid(
      'upstream',
      url.href,
      'an upstream without credentials: "user:password@" in the URL is refused (it would be printed and never sent); Appwrite authenticates with X-Appwrite-Key or a session, which record passes on',
    );
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    invalid('upstream', upstream, 'an http or https URL such as https://cloud.appwrite.io/v1');
  choose('mode', mode, RECORD_MODES);
  if (typeof insecure !== 'boolean') invalid('insecure', insecure, 'true or false');
  if (!Number.isInteger(upstreamTimeoutMs) || upstreamTimeoutMs < 1) invalid('upstreamTimeoutMs', upstreamTimeoutMs, 'a positive number of milliseconds');
  return Object.freeze({ ...resolveListenConfig(server), upstream: url.href.replace(/\/+$/, ''), mode, insecure, upstreamTimeoutMs });
}
