import type { Interaction } from '../model/interaction.js';
import { MatchIgnore } from '../match/match-ignore.js';
import { requestKey } from '../match/request-key.js';

/**
 * Replay's view of a cassette: its recordings indexed by request identity (a map lookup, never a scan),
 * and a cursor per identity so that repeated requests replay in recorded order, then repeat the last.
 */
export class CassetteIndex {
  readonly #index = new Map<string, Interaction[]>();
  /** The recordings of each operation, for finding the nearest ones when a request matches none. */
  readonly #byOperation = new Map<string, Interaction[]>();
  readonly #cursors = new Map<string, number>();
  /** What matching leaves out of an identity. */
  #ignore: MatchIgnore;

  constructor(rules: readonly string[], interactions: readonly Interaction[]) {
    this.#ignore = new MatchIgnore(rules);
    for (const interaction of interactions) this.add(interaction);
  }

  get matchIgnore(): MatchIgnore {
    return this.#ignore;
  }

  /** Matches with other ignore rules from now on: every recording is indexed again. */
  reindex(rules: readonly string[], interactions: readonly Interaction[]): void {
    this.#ignore = new MatchIgnore(rules);
    this.#index.clear();
    this.#byOperation.clear();
    for (const interaction of interactions) this.add(interaction);
  }

  /** A recording's identity for matching. */
  keyOf(interaction: Interaction): string {
    return requestKey(this.#ignore.apply(interaction.request));
  }

  add(interaction: Interaction): void {
    const key = this.keyOf(interaction);
    const list = this.#index.get(key);
    if (list) list.push(interaction);
    else this.#index.set(key, [interaction]);
    const operation = interaction.operationId ?? `${interaction.request.method.toUpperCase()} ${interaction.request.path}`;
    const same = this.#byOperation.get(operation);
    if (same) same.push(interaction);
    else this.#byOperation.set(operation, [interaction]);
  }

  /** The recordings of an operation, in recorded order. */
  recordingsOf(operationId: string): readonly Interaction[] {
    return this.#byOperation.get(operationId) ?? [];
  }

  /** The next recording for this identity, or null when there is none. */
  next(key: string): Interaction | null {
    const list = this.#index.get(key);
    if (!list || list.length === 0) return null;
    const cursor = this.#cursors.get(key) ?? 0;
    this.#cursors.set(key, cursor + 1);
    return list[Math.min(cursor, list.length - 1)] ?? null;
  }

  /** Back to the first recording of every identity. */
  rewind(): void {
    this.#cursors.clear();
  }

  /** True when a recording exists for this identity (without moving the cursor). */
  has(key: string): boolean {
    return (this.#index.get(key)?.length ?? 0) > 0;
  }
}
