import { generateResponse } from '../fallback/generate-response.js';
import { isUploadProbe } from '../fallback/upload-probe.js';
import { previewAnswer } from '../preview/preview-answer.js';
import { errorResponse } from '../model/error-response.js';
import type { Spec } from '../spec/load-spec.js';
import type { AppwriteState } from '../state/appwrite-state.js';
import { missResponse } from './miss.js';
import type { Answer, Answerer, Turn } from './pipeline.js';

export interface ReplayAnswerers {
  spec: Spec;
  /** The next recording of the cassette for the request, or null. */
  recorded: (turn: Turn) => Answer | null;
  /** The stateful fallback; null answers what no recording holds from the schema. */
  state: AppwriteState | null;
  /** `none`: what no recording holds is the miss error, not a fallback answer. */
  missIsError: boolean;
}

/**
 * Replay's answerers, first to last: the cassette; with `--fallback none` the miss; Appwrite's own
 * refusal of the request; the state; the schema. Every answer but the cassette's carries the miss.
 */
export function replayAnswerers(options: ReplayAnswerers): Answerer[] {
  const { spec, state } = options;
  const answerers: Answerer[] = [options.recorded];
  if (options.missIsError) answerers.push((turn) => ({ response: missResponse(turn.miss(), spec.version), source: 'error', miss: turn.miss() }));
  answerers.push((turn) => {
    const { rejection } = turn.check;
    return rejection
      ? { response: errorResponse(rejection.type, spec.version, rejection.message, rejection.status), source: 'error', miss: turn.miss() }
      : null;
  });
  if (state) {
    answerers.push((turn) => {
      const { routed, check, caller } = turn;
      const response = state.answer({
        operationId: routed.operation.operationId,
        params: check.params,
        headers: routed.request.headers,
        files: routed.files ?? new Map(),
        caller,
      });
      if (!response) return null;
      if (routed.operation.operationId !== 'storageGetFilePreview') return { response, source: 'state', miss: turn.miss() };
      return previewAnswer(response, check.params, routed.request.headers, spec.version).then((preview) => ({
        response: preview,
        source: 'state',
        miss: turn.miss(),
      }));
    });
  }
  answerers.push((turn) => {
    const { operation, key, request } = turn.routed;
    if (isUploadProbe(operation.operationId, request.method, request.headers))
      return { response: errorResponse('storage_file_not_found', spec.version), source: 'schema', miss: turn.miss() };
    return {
      response: generateResponse({ operation, params: turn.check.params, requestDigest: key, schemas: spec.schemas }),
      source: 'schema',
      miss: turn.miss(),
    };
  });
  return answerers;
}
