import { readRoles } from './audience.js';
import { eventNames } from './event-names.js';
import { EVENT_TEMPLATES, placeholdersOf } from './event-templates.js';
import type { RecentModels } from './recent-models.js';

type Model = Readonly<Record<string, unknown>>;

/** A write replay answered, from the state or from a cassette: what an event is made of. */
export interface Write {
  operationId: string;
  /** The project the request named ('' when none). */
  project: string;
  /** IDs that locate the resource, by Appwrite's parameter names (`databaseId`, `documentId`, ...): a state change's IDs, a request's path parameters. */
  ids: Readonly<Record<string, string>>;
  /** The signed-in caller, for account routes whose answer names no user (prefs, MFA). */
  callerUserId: string | null;
  /** The resource as the REST answer gives it, or as it was for a delete; `[]` where Appwrite sends an empty payload; null when unknown. */
  payload: Model | readonly unknown[] | null;
}

/** The read permissions of a collection or bucket, and whether its documents or files add their own. */
export interface ContainerAccess {
  read: readonly string[];
  /** `documentSecurity` of a collection, `fileSecurity` of a bucket. */
  security: boolean;
}

/** What the realtime needs to know about a document's collection or a file's bucket; null when unknown. */
export type ContainerLookup = (kind: 'collection' | 'bucket', ids: Readonly<Record<string, string>>) => ContainerAccess | null;

/** One event, as Appwrite publishes it: the names, the channels, the roles that may receive it, the payload. */
export interface RealtimeEvent {
  project: string;
  events: string[];
  channels: string[];
  roles: string[];
  payload: unknown;
  /** A user whose connections get their roles worked out again before delivery (the creator of a team). */
  refreshUser: string | null;
  /** The resource the event is about, filled in: `databases.D.collections.C.documents.X`. */
  resource: string;
}

/** Where the answer's own fields name a parent (the `$collectionId` of a document, the `bucketId` of a file). */
const PAYLOAD_FIELDS: Readonly<Record<string, string>> = {
  databaseId: '$databaseId',
  collectionId: '$collectionId',
  bucketId: 'bucketId',
  teamId: 'teamId',
  functionId: 'functionId',
  userId: 'userId',
};

/**
 * The event Appwrite 1.5 would publish for a write, or null when no client would receive one: names from
 * the operation's template (`Event::generateEvents`), channels and roles from the first name and the
 * payload (`Realtime::fromPayload`). For a document or file, the roles are the collection's or bucket's
 * read roles, plus the resource's own when it has document or file security; when the container is not
 * known (a write answered from a cassette), the resource's own read roles stand for them. With nobody
 * `listened`, only what later deletes need is remembered (the resource as last seen), and no event is made.
 */
export function buildEvent(write: Write, containers: ContainerLookup, recent: RecentModels, listened = true): RealtimeEvent | null {
  const template = EVENT_TEMPLATES[write.operationId];
  if (!template) return null;
  let payload = write.payload;
  let model: Model = payload !== null && !Array.isArray(payload) ? (payload as Model) : {};
  const names = placeholdersOf(template);
  const params: [string, string][] = [];
  for (const [at, name] of names.entries()) {
    const value = placeholderValue(name, at === names.length - 1, write, model);
    if (value === null) return null;
    params.push([name, value]);
  }
  const ids = Object.fromEntries(params);
  let resource = template.slice(0, template.lastIndexOf(']') + 1);
  for (const [name, value] of params) resource = resource.replace(`[${name}]`, value);
  const deleted = template.endsWith('.delete');
  if (payload === null) {
    // A delete answered from a cassette has no body: the resource as this run last saw it, else its IDs.
    const known = recent.get(resource);
    payload = known ?? minimalModel(template, ids);
    model = payload;
  }
  if (deleted) recent.delete(resource);
  else if (!Array.isArray(payload) && Object.hasOwn(model, '$id')) recent.set(resource, model);
  if (!listened) return null;
  const events = eventNames(template, params);
  const first = (events[0] ?? '').split('.');
  let channels: string[] = [];
  let roles: string[] = [];
  let refreshUser: string | null = null;
  switch (first[0]) {
    case 'users':
      channels = ['account', `account.${first[1] ?? ''}`];
      roles = [`user:${first[1] ?? ''}`];
      break;
    case 'teams':
      if (first[2] === 'memberships') channels = ['memberships', `memberships.${first[3] ?? ''}`];
      else channels = ['teams', `teams.${first[1] ?? ''}`];
      roles = [`team:${first[1] ?? ''}`];
      // @note Only a team's creation names a user whose roles change (teams.php sets `userId`): the creator's open connections learn of the new team.
      if (first[2] === 'create') refreshUser = write.callerUserId;
      break;
    case 'databases':
      if (first[4] !== 'documents') return null;
      {
        const collectionId = text(model.$collectionId) ?? (ids.collectionId as string);
        const documentId = text(model.$id) ?? (ids.documentId as string);
        const prefix = `databases.${ids.databaseId as string}.collections.${collectionId}.documents`;
        channels = ['documents', prefix, `${prefix}.${documentId}`];
        roles = accessRoles(containers('collection', ids), model);
      }
      break;
    case 'buckets':
      if (first[2] !== 'files') return null;
      {
        const bucketId = text(model.bucketId) ?? (ids.bucketId as string);
        const fileId = text(model.$id) ?? (ids.fileId as string);
        channels = ['files', `buckets.${bucketId}.files`, `buckets.${bucketId}.files.${fileId}`];
        roles = accessRoles(containers('bucket', ids), model);
      }
      break;
    case 'functions':
      if (first[2] !== 'executions') return null;
      roles = readRoles(model.$permissions);
      channels = [
        'console',
        'executions',
        `executions.${text(model.$id) ?? (ids.executionId as string)}`,
        `functions.${text(model.functionId) ?? (ids.functionId as string)}`,
      ];
      break;
    default:
      return null;
  }
  // `Realtime::send` drops an event nobody may receive.
  if (roles.length === 0) return null;
  let sent: unknown = payload;
  if (first[0] === 'users') sent = withoutSecret(write.operationId.startsWith('account') ? accountModel(payload) : payload);
  return { project: write.project, events, channels, roles, payload: sent, refreshUser, resource };
}

/** Fields of the User model that the Account model leaves out (Model/Account.php at 1.5.0). */
const NOT_IN_ACCOUNT = ['password', 'hash', 'hashOptions', 'mfaRecoveryCodes'];

/** A user as the Account model shows it; anything else as it is. */
export function accountModel<T>(payload: T): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || !NOT_IN_ACCOUNT.some((key) => Object.hasOwn(payload, key))) return payload;
  const out = Object.assign({}, payload) as Record<string, unknown>;
  for (const key of NOT_IN_ACCOUNT) delete out[key];
  return out as T;
}

function placeholderValue(name: string, last: boolean, write: Write, model: Model): string | null {
  const known = write.ids[name];
  if (known !== undefined && known !== '') return known;
  const field = PAYLOAD_FIELDS[name];
  const fromField = field === undefined ? null : text(model[field]);
  if (fromField !== null) return fromField;
  if (last) {
    const id = text(model.$id);
    if (id !== null) return id;
  }
  return name === 'userId' ? write.callerUserId : null;
}

/** What is known of a resource no answer showed: its ID and its parents', by the model's field names. */
function minimalModel(template: string, ids: Readonly<Record<string, string>>): Model {
  const names = placeholdersOf(template);
  const model: Record<string, unknown> = { $id: ids[names.at(-1) as string] };
  for (const name of names.slice(0, -1)) model[PAYLOAD_FIELDS[name] ?? name] = ids[name];
  return model;
}

function accessRoles(container: ContainerAccess | null, model: Model): string[] {
  const own = readRoles(model.$permissions);
  if (!container) return own;
  return container.security ? [...container.read, ...own] : [...container.read];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * @note Appwrite puts a recovery or verification token's secret, and a deleted session's stored hash, into
 * the payload it publishes; replay never sends a secret over the socket: `secret` is always empty, as in
 * the answers a client gets.
 */
function withoutSecret(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object') return {};
  if (Array.isArray(payload) || !Object.hasOwn(payload, 'secret')) return payload;
  return Object.assign({}, payload, { secret: '' });
}
