import type { Headers, VcrResponse } from '../model/exchange.js';

/**
 * An ID of the shape the Appwrite SDKs make with `ID.unique()`: 8 hex digits of Unix seconds,
 * 5 of milliseconds (PHP's `uniqid()` puts microseconds there, up to f423f), 7 random; 20 in all,
 * lower case, standing alone (not part of a longer word or hash).
 */
const ID_TOKEN = /(?<![A-Za-z0-9_-])[0-9a-f]{20}(?![A-Za-z0-9_-])/g;
/** 2012-07-13: older "seconds" are not a clock, and a hex run that old is something else. */
const MIN_SECONDS = 0x50000000;
const MAX_FRACTION = 0xf423f;
const HOLE = '\u0000id\u0000';

export function isUniqueId(token: string): boolean {
  return token.length === 20 && Number.parseInt(token.slice(0, 8), 16) >= MIN_SECONDS && Number.parseInt(token.slice(8, 13), 16) <= MAX_FRACTION;
}

function idsOf(key: string): string[] {
  return (key.match(ID_TOKEN) ?? []).filter(isUniqueId);
}

function shapeOf(key: string): string {
  return key.replace(ID_TOKEN, (token) => (isUniqueId(token) ? HOLE : token));
}

/**
 * Pairs client-generated IDs of a live run with those of a recording, per cassette:
 *
 * 1. Every ID already paired is replaced by its recorded ID before matching.
 * 2. If the request then matches no recording exactly, recordings of the same shape (equal once every
 *    ID is blanked out) are tried in recorded order; the first where every remaining new ID can take the
 *    recorded ID at the same place (one not yet paired with another live ID) wins, and those pairs are
 *    remembered for the rest of the run.
 * 3. Answers are rewritten the other way: each recorded ID becomes its live ID, in bodies and headers.
 *
 * Request identities are the strings of `requestKey`, so "the same place" is the same position in that text.
 */
export class IdMap {
  readonly #toRecorded = new Map<string, string>();
  readonly #toLive = new Map<string, string>();
  readonly #shapes = new Map<string, string[]>();
  readonly #seen = new Set<string>();
  #indexed = 0;

  get size(): number {
    return this.#toRecorded.size;
  }

  /** How many recorded keys `addRecorded` has seen; a cassette may grow while recording. */
  get indexed(): number {
    return this.#indexed;
  }

  /** Makes a recorded request key a candidate for pairing. */
  addRecorded(key: string): void {
    this.#indexed++;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const shape = shapeOf(key);
    if (shape === key) return;
    const list = this.#shapes.get(shape);
    if (list) list.push(key);
    else this.#shapes.set(shape, [key]);
  }

  /** The key with every paired live ID replaced by its recorded ID. */
  toRecorded(key: string): string {
    if (this.#toRecorded.size === 0) return key;
    return key.replace(ID_TOKEN, (token) => this.#toRecorded.get(token) ?? token);
  }

  /**
   * Pairs the new IDs of `key` (already passed through `toRecorded`) with a recording of the same shape
   * that `accept` allows; returns that recording's key, or null and remembers nothing.
   */
  pair(key: string, accept: (recordedKey: string) => boolean): string | null {
    if (this.#shapes.size === 0) return null;
    const candidates = this.#shapes.get(shapeOf(key));
    if (!candidates) return null;
    const live = idsOf(key);
    for (const candidate of candidates) {
      const recorded = idsOf(candidate);
      const pairs = alignIds(live, recorded, this.#toLive);
      if (pairs && accept(candidate)) {
        for (const [from, to] of pairs) {
          this.#toRecorded.set(from, to);
          this.#toLive.set(to, from);
        }
        return candidate;
      }
    }
    return null;
  }

  /** A recorded answer with its recorded IDs replaced by the paired live ones. */
  toLive(response: VcrResponse): VcrResponse {
    if (this.#toLive.size === 0) return response;
    const headers: Headers = {};
    for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.map((v) => this.#text(v)) : this.#text(value);
    const { body } = response;
    let next = body;
    if (body?.kind === 'json') next = { kind: 'json', value: this.#deep(body.value) };
    else if (body?.kind === 'text') next = { kind: 'text', value: this.#text(body.value) };
    return { status: response.status, headers, body: next };
  }

  #text(text: string): string {
    return text.length < 20 ? text : text.replace(ID_TOKEN, (token) => this.#toLive.get(token) ?? token);
  }

  #deep(value: unknown): unknown {
    if (typeof value === 'string') return this.#text(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.#deep(item));
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[this.#text(key)] = this.#deep(child);
    return out;
  }
}

/** Position-by-position pairs of new live IDs with recorded IDs, or null when the two cannot be the same run. */
function alignIds(live: readonly string[], recorded: readonly string[], toLive: ReadonlyMap<string, string>): Map<string, string> | null {
  if (live.length !== recorded.length) return null;
  const pairs = new Map<string, string>();
  const taken = new Map<string, string>();
  for (let i = 0; i < live.length; i++) {
    const from = live[i] as string;
    const to = recorded[i] as string;
    if (from === to) continue;
    // A paired live ID has already become its recorded ID: here it sits where the recording has another.
    if (toLive.has(from)) return null;
    const owner = toLive.get(to) ?? taken.get(to);
    if (owner !== undefined && owner !== from) return null;
    const earlier = pairs.get(from);
    if (earlier !== undefined && earlier !== to) return null;
    pairs.set(from, to);
    taken.set(to, from);
  }
  return pairs;
}
