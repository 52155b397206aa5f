import type { Finding } from '../model/finding.js';
import type { Miss } from './miss.js';

export interface OperationTally {
  requests: number;
  requestViolations: number;
  responseViolations: number;
}

/** Requests that missed the same way (same cassette, same identity), listed once. */
export interface MissEntry extends Miss {
  count: number;
}

/** A recording no request replayed in this run. */
export interface UnusedRecording {
  id: string;
  /** Its place in the cassette (0-based). */
  index: number;
  operationId: string | null;
  /** Method and path as recorded. */
  request: string;
}

/** What a server did since it started; printed at shutdown. */
export interface Summary {
  requests: number;
  cassetteHits: number;
  fallbacks: number;
  forwarded: number;
  errors: number;
  requestViolations: number;
  responseViolations: number;
  byOperation: Record<string, OperationTally>;
  /** Requests that no recording of their cassette matched, whatever answered them. */
  misses: number;
  /** Those misses, one entry per distinct request (the first MISS_LIST_LIMIT of them). */
  missed: MissEntry[];
  /** Misses of requests not in the list (it is full), counted only. */
  missesNotListed: number;
  /** Per cassette this run opened: the recordings it never replayed (replay only; `prune` removes them). */
  unused: Record<string, UnusedRecording[]>;
  /** True with `failOnMiss` when a request missed: the run failed, even if the app swallowed the error. */
  failed: boolean;
  /** Why the run failed, or null. */
  failure: string | null;
}

/** Distinct misses kept in detail: memory stays bounded however many different requests miss. */
export const MISS_LIST_LIMIT = 200;

export function emptySummary(): Summary {
  return {
    requests: 0,
    cassetteHits: 0,
    fallbacks: 0,
    forwarded: 0,
    errors: 0,
    requestViolations: 0,
    responseViolations: 0,
    byOperation: {},
    misses: 0,
    missed: [],
    missesNotListed: 0,
    unused: {},
    failed: false,
    failure: null,
  };
}

export function tally(summary: Summary, operationId: string | null, source: string, findings: readonly Finding[]): void {
  summary.requests++;
  if (source === 'cassette') summary.cassetteHits++;
  else if (source === 'upstream') summary.forwarded++;
  else if (source === 'error') summary.errors++;
  else summary.fallbacks++;
  const key = operationId ?? '(unknown route)';
  const entry = (summary.byOperation[key] ??= { requests: 0, requestViolations: 0, responseViolations: 0 });
  entry.requests++;
  for (const finding of findings) {
    if (finding.side === 'request') {
      entry.requestViolations++;
      summary.requestViolations++;
    } else {
      entry.responseViolations++;
      summary.responseViolations++;
    }
  }
}

/**
 * Counts a miss; `seen` maps a miss's identity to its entry, so that a request repeated a hundred times is
 * one entry with `count` 100.
 */
export function tallyMiss(summary: Summary, seen: Map<string, MissEntry>, identity: string, miss: Miss): void {
  summary.misses++;
  const known = seen.get(identity);
  if (known) {
    known.count++;
    return;
  }
  if (summary.missed.length >= MISS_LIST_LIMIT) {
    summary.missesNotListed++;
    return;
  }
  const entry: MissEntry = Object.assign({ count: 1 }, miss);
  seen.set(identity, entry);
  summary.missed.push(entry);
}
