import type { Finding } from '../model/finding.js';

export interface OperationTally {
  requests: number;
  requestViolations: number;
  responseViolations: number;
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
}

export function emptySummary(): Summary {
  return { requests: 0, cassetteHits: 0, fallbacks: 0, forwarded: 0, errors: 0, requestViolations: 0, responseViolations: 0, byOperation: {} };
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
