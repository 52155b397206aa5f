import type { Finding } from './finding.js';
import type { VcrRequest, VcrResponse } from './exchange.js';

/** One recorded request and its answer, as a cassette stores it. */
export interface Interaction {
  id: string;
  operationId: string | null;
  recordedAt: string;
  durationMs: number;
  request: VcrRequest;
  response: VcrResponse;
  violations?: Finding[];
}
