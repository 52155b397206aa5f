import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** From this many interactions on, loading a cassette leaves enough garbage to be worth a full collection. */
export const LARGE_CASSETTE = 20_000;

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection, when the runtime allows one. Loading a large cassette leaves its text
 * and the parser's intermediate objects behind; collected at once, the process serves from a compact
 * heap (measured with 100,000 interactions: RSS after start 339 → 253 MB, after the bench load 415 →
 * 333 MB) instead of carrying that garbage until the heap next fills up.
 * @note Node offers no full collection without `--expose-gc`; setting the flag at run time and taking
 * `gc` from a new context is the way test runners' leak detectors do it. Anything wrong: a no-op.
 */
export function compactHeap(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
