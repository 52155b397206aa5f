import type { Headers, VcrResponse } from '../model/exchange.js';
import type { StateData } from './state-data.js';

/** A request the state may answer: routed, checked, with typed parameters. */
export interface StateRequest {
  operationId: string;
  /** Path, query and body parameters as typed values. */
  params: Record<string, unknown>;
  headers: Headers;
  /** Bytes of the multipart file parts, by field name. */
  files: ReadonlyMap<string, Buffer>;
}

/** One modelled operation: answers from the data (and may change it), throws a `StateFailure`, or returns null when the state does not know the resource (the schema answers then). */
export type StateHandler = (request: StateRequest, data: StateData) => VcrResponse | null;

/** The operations one service models, by operationId. */
export type StateRoutes = Record<string, StateHandler>;
