import { describeDifference } from '../match/first-differences.js';
import type { NearRecording } from '../match/nearest-recordings.js';
import { errorResponse } from '../model/error-response.js';
import type { Query, VcrResponse } from '../model/exchange.js';

/** A request that no recording of its cassette matched. */
export interface Miss {
  cassette: string;
  operationId: string;
  /** Method, path and query as matching saw them (secrets redacted), e.g. `GET /v1/users?search=ada`. */
  request: string;
  /** Recordings of the same operation in the cassette. */
  recordings: number;
  /** The nearest of them, with what differs. */
  nearest: NearRecording[];
}

/**
 * The type and status of the answer to a miss under `--fallback none`: no Appwrite 1.5 error has either
 * (see docs/decisions/0009-cassette-miss-answer.md), so an app cannot take it for a real answer.
 */
export const MISS_ERROR_TYPE = 'vcr_cassette_miss';
export const MISS_STATUS = 510;

/** The request line of a miss, with its (already redacted) query. */
export function missRequestLine(method: string, path: string, query: Query): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    for (const item of Array.isArray(value) ? value : [value]) search.append(Array.isArray(value) ? `${name}[]` : name, item);
  const text = search.toString();
  return `${method.toUpperCase()} ${path}${text === '' ? '' : `?${decodeURIComponent(text.replace(/\+/g, ' '))}`}`;
}

/** A recording equal to the request once redacted: the ID pairing of this run (see `IdMap`) set them apart. */
const SAME_BUT_PAIRED = 'is the same, but an ID the request sends is paired with another recorded ID in this run';

/** Why a request matched nothing, in one sentence: the nearest recording and its first difference. */
export function missReason(miss: Miss): string {
  const near = miss.nearest[0];
  if (!near)
    return miss.recordings === 0
      ? `cassette "${miss.cassette}" holds no recording of ${miss.operationId}`
      : `no recording of ${miss.operationId} in cassette "${miss.cassette}" came near`;
  const first = near.differences[0];
  return `nearest recording #${near.index} (${near.id}) of cassette "${miss.cassette}" ${first ? `differs at ${describeDifference(first)}` : SAME_BUT_PAIRED}`;
}

/** The whole explanation: the request, then each nearest recording with every difference found. */
export function missMessage(miss: Miss): string {
  const head = `No recording in cassette "${miss.cassette}" matches ${miss.request} (${miss.operationId}).`;
  if (miss.nearest.length === 0)
    return `${head} The cassette holds ${miss.recordings === 0 ? 'no recording' : `${miss.recordings} recordings, none near,`} of this operation. Record it, or replay with another --fallback.`;
  const near = miss.nearest.map(
    (n) => `#${n.index} (${n.id}): ${n.differences.length === 0 ? SAME_BUT_PAIRED : n.differences.map(describeDifference).join('; ')}`,
  );
  return `${head} Nearest recordings of ${miss.operationId}: ${near.join(' | ')}`;
}

/** The answer to a miss under `--fallback none`, in Appwrite's error shape. */
export function missResponse(miss: Miss, version: string): VcrResponse {
  const response = errorResponse(MISS_ERROR_TYPE, version, missMessage(miss), MISS_STATUS);
  return { status: response.status, headers: Object.assign({}, response.headers, { 'x-vcr-miss': miss.cassette }), body: response.body };
}
