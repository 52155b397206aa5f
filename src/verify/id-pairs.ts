import { isUniqueId } from '../match/id-map.js';

/** A token of the shape of an ID Appwrite makes for `unique()`, standing alone in a text. */
const ID_TOKEN = /(?<![A-Za-z0-9_-])[0-9a-f]{20}(?![A-Za-z0-9_-])/g;

/**
 * IDs the recorded server made and the verifying run made in their place: learnt from the answers
 * (the same place in the recorded and the live body), then written into every later request, so
 * that a recorded `DELETE /v1/account/sessions/6b0c…` names the session this run created.
 */
export class IdPairs {
  readonly #toLive = new Map<string, string>();

  get size(): number {
    return this.#toLive.size;
  }

  /** The live ID paired with a recorded one, if any. */
  live(recorded: string): string | undefined {
    return this.#toLive.get(recorded);
  }

  /**
   * Pairs a recorded ID with the live value at the same place: `paired` when new or as before,
   * `conflict` when the recorded ID was paired with another live value, `not-an-id` when the
   * recorded value is not of the shape the server makes.
   */
  pair(recorded: string, live: string): 'paired' | 'conflict' | 'not-an-id' {
    if (!isUniqueId(recorded)) return 'not-an-id';
    const known = this.#toLive.get(recorded);
    if (known === undefined) {
      this.#toLive.set(recorded, live);
      return 'paired';
    }
    return known === live ? 'paired' : 'conflict';
  }

  /** A recorded text with every paired ID replaced by its live ID. */
  rewrite(text: string): string {
    if (this.#toLive.size === 0) return text;
    return text.replace(ID_TOKEN, (token) => this.#toLive.get(token) ?? token);
  }

  /** A recorded JSON value with every paired ID in its strings (keys included) replaced. */
  rewriteJson(value: unknown): unknown {
    if (this.#toLive.size === 0) return value;
    if (typeof value === 'string') return this.rewrite(value);
    if (Array.isArray(value)) return value.map((item) => this.rewriteJson(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.rewrite(key)] = this.rewriteJson(item);
      return out;
    }
    return value;
  }
}
