import { REDACTED } from '../cassette/redact.js';
import { encodeBody, mediaTypeOf, sha256 } from '../model/body.js';
import type { Body, VcrResponse } from '../model/exchange.js';
import type { IdPairs } from './id-pairs.js';

/** An ISO 8601 date and time, as Appwrite writes `$createdAt`, `expire` and the like. */
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?$/;

/**
 * Fields whose values belong to the machine and the moment of the run, not to what the app did:
 * the caller's address and its geolocation, how long an execution took. Their presence and type
 * are still compared.
 */
const RUN_SPECIFIC_KEYS = new Set(['ip', 'countryCode', 'countryName', 'duration', 'time']);

/** At most this many differences are kept per exchange; the first ones say enough. */
const MAX_DIFFERENCES = 12;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isSecretPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(REDACTED.slice(0, -1));
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export interface CompareOptions {
  /**
   * The answer is an image the server draws (avatars, previews): two renderers never give the same
   * bytes, so only the media type is compared.
   */
  renderedImage?: boolean;
}

/**
 * Compares what the recorded Appwrite answered with what the verifying run answered: the status, the
 * error type, every field's presence and type, and the values that must agree (names, flags, totals,
 * list orders). Dates, secrets the recorder redacted and the run-specific fields are compared by type
 * only; IDs the recorded server made are paired with the live ones (`ids` learns the pairs). Returns
 * the differences, each a line naming the JSON path; none when the answers agree.
 */
export function compareAnswer(recorded: VcrResponse, live: VcrResponse, ids: IdPairs, options: CompareOptions = {}): string[] {
  const out: string[] = [];
  if (recorded.status !== live.status) out.push(`status ${live.status}, recorded ${recorded.status}`);
  if (options.renderedImage && recorded.body?.kind === 'base64' && live.body?.kind === 'base64') {
    const recordedType = mediaTypeOf(recorded.headers['content-type']);
    const liveType = mediaTypeOf(live.headers['content-type']);
    if (recordedType !== liveType) out.push(`content-type ${liveType}, recorded ${recordedType}`);
    return out;
  }
  compareBodies(recorded.body, live.body, ids, out);
  return out.slice(0, MAX_DIFFERENCES);
}

function compareBodies(recorded: Body | null, live: Body | null, ids: IdPairs, out: string[]): void {
  if (recorded === null || live === null) {
    if (recorded !== live) out.push(recorded === null ? `body: ${live?.kind} body, recorded none` : `body: none, recorded a ${recorded.kind} body`);
    return;
  }
  if (recorded.kind === 'json' && live.kind === 'json') {
    const recordedType = errorType(recorded.value);
    const liveType = errorType(live.value);
    if (recordedType !== undefined && recordedType !== liveType) {
      out.push(`type ${liveType ?? 'none'}, recorded ${recordedType}`);
      return;
    }
    compareValues('$', recorded.value, live.value, ids, out, undefined);
    return;
  }
  if (recorded.kind !== live.kind) {
    out.push(`body: ${live.kind}, recorded ${recorded.kind}`);
    return;
  }
  const recordedDigest = sha256(encodeBody(recorded));
  const liveDigest = sha256(encodeBody(live));
  if (recordedDigest !== liveDigest) out.push(`body: ${live.kind} sha256 ${liveDigest.slice(0, 12)}, recorded ${recordedDigest.slice(0, 12)}`);
}

function errorType(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { type, code, message } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof code === 'number' && typeof message === 'string' ? type : undefined;
}

function compareValues(path: string, recorded: unknown, live: unknown, ids: IdPairs, out: string[], key: string | undefined): void {
  if (out.length >= MAX_DIFFERENCES) return;
  const recordedType = typeOf(recorded);
  const liveType = typeOf(live);
  // The recorder put a placeholder in place of the value, whatever its type: present is all there is to compare.
  if (isSecretPlaceholder(recorded)) return;
  if (recordedType !== liveType) {
    out.push(`${path}: ${liveType} ${show(live)}, recorded ${recordedType} ${show(recorded)}`);
    return;
  }
  if (recordedType === 'array') {
    const a = recorded as unknown[];
    const b = live as unknown[];
    if (a.length !== b.length) out.push(`${path}: ${b.length} items, recorded ${a.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) compareValues(child(path, i), a[i], b[i], ids, out, key);
    return;
  }
  if (recordedType === 'object') {
    const a = recorded as Record<string, unknown>;
    const b = live as Record<string, unknown>;
    for (const name of Object.keys(a)) {
      if (!Object.hasOwn(b, name)) out.push(`${child(path, name)}: missing, recorded ${show(a[name])}`);
      else compareValues(child(path, name), a[name], b[name], ids, out, name);
    }
    for (const name of Object.keys(b)) if (!Object.hasOwn(a, name)) out.push(`${child(path, name)}: ${show(b[name])}, not in the recording`);
    return;
  }
  if (recorded === live) return;
  if (key !== undefined && RUN_SPECIFIC_KEYS.has(key)) return;
  if (typeof recorded === 'string' && typeof live === 'string') {
    if (DATETIME.test(recorded) && DATETIME.test(live)) return;
    const paired = ids.pair(recorded, live);
    if (paired === 'paired') return;
    if (paired === 'conflict') {
      out.push(`${path}: ${show(live)}, recorded ${show(recorded)}, which stood for ${show(ids.live(recorded))} before`);
      return;
    }
  }
  out.push(`${path}: ${show(live)}, recorded ${show(recorded)}`);
}
