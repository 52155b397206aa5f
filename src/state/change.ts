import type { Caller } from '../auth/caller.js';
import type { Model } from './state-data.js';
import type { OutgoingMessage } from './outgoing-message.js';

/** The kinds of resource the state holds, as Appwrite names them in its events. */
export type Resource =
  | 'database'
  | 'collection'
  | 'attribute'
  | 'index'
  | 'document'
  | 'user'
  | 'session'
  | 'token'
  | 'target'
  | 'identity'
  | 'team'
  | 'membership'
  | 'bucket'
  | 'file'
  | 'function'
  | 'deployment'
  | 'variable'
  | 'execution'
  | 'provider'
  | 'topic'
  | 'subscriber'
  | 'message';

export type ChangeAction = 'create' | 'update' | 'delete';

/** Where a resource is: its resource kind and the IDs that locate it, parents first (`{databaseId, collectionId, documentId}`). */
export interface ResourceRef {
  resource: Resource;
  ids: Readonly<Record<string, string>>;
}

/** One resource created, updated or deleted by a request. */
export interface Change extends ResourceRef {
  action: ChangeAction;
  /** The resource as Appwrite answers it: after the change, or as it was for a delete. A copy, never the stored object. */
  model: Readonly<Model>;
  /** True when another change of the request made this one (a user's sessions deleted with the user). */
  cascade: boolean;
}

/** What one request changed, emitted once after its handler returns; nothing is emitted for a request that changed nothing. */
export interface StateChange {
  operationId: string;
  caller: Caller;
  changes: readonly Change[];
  /** Messages the request would have sent (an invitation email, with its secret); most requests send none. */
  messages: readonly OutgoingMessage[];
}

export type ChangeListener = (change: StateChange) => void;
