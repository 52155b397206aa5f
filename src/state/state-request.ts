import type { Caller } from '../auth/caller.js';
import type { JwtSigner } from '../auth/jwt.js';
import type { Outbox } from './outbox.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import type { StateView } from './state-data.js';
import type { Tx } from './tx.js';

/** A request the state may answer: routed, checked, with typed parameters, and its caller. */
export interface StateRequest {
  operationId: string;
  /** Path, query and body parameters as typed values. */
  params: Record<string, unknown>;
  /** The request's headers, for what is not a parameter (`Content-Range`, `X-Appwrite-Id`); never credentials: those are the caller's. */
  headers: Headers;
  /** Bytes of the multipart file parts, by field name. */
  files: ReadonlyMap<string, Buffer>;
  caller: Caller;
}

/** What a handler gets: the request, the state to read, and the `Tx` that makes and records every change. */
export interface StateContext extends StateRequest {
  data: StateView;
  tx: Tx;
  /** Signs the state's JWTs. */
  jwt: JwtSigner;
  /** Where the messages Appwrite would send by email or SMS go. */
  outbox: Outbox;
}

/** One modelled operation: answers from the data (and may change it through `tx`), throws a `StateFailure`, or returns null when the state does not know the resource (the schema answers then). */
export type StateHandler = (ctx: StateContext) => VcrResponse | null;

/** The operations one service models, by operationId. */
export type StateRoutes = Record<string, StateHandler>;
