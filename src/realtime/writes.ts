import type { CassetteWrite } from '../engine/engine.js';
import type { Change, Resource, StateChange } from '../state/change.js';
import type { Write } from './realtime-event.js';
import { EVENT_TEMPLATES, placeholdersOf } from './event-templates.js';

/** The resource kind a template's last placeholder names, as the state's changes name it. */
const LEAF_RESOURCES: Readonly<Record<string, Resource>> = {
  documentId: 'document',
  fileId: 'file',
  executionId: 'execution',
  teamId: 'team',
  membershipId: 'membership',
  userId: 'user',
  sessionId: 'session',
  tokenId: 'token',
  targetId: 'target',
  identityId: 'identity',
};

/** Operations whose event carries an empty payload (`[]`): Appwrite sets none for them (account.php, users.php at 1.5.0). */
const EMPTY_PAYLOAD = new Set(['accountDeleteMfaAuthenticator', 'usersDeleteMfaAuthenticator', 'usersDeleteTarget']);

/**
 * The write a state change stands for: the request's own change of the resource its operation's event
 * is about (cascades are not events in Appwrite: deleting a user publishes `users.U.delete` only).
 */
export function writeOfStateChange(change: StateChange): Write | null {
  const template = EVENT_TEMPLATES[change.operationId];
  if (!template) return null;
  const leaf = LEAF_RESOURCES[placeholdersOf(template).at(-1) ?? ''];
  const own = change.changes.filter((c) => !c.cascade);
  let primary: Change | undefined = own.find((c) => c.resource === leaf) ?? own[0];
  if (!primary) return null;
  let payload: Write['payload'] = primary.resource === leaf ? primary.model : null;
  if (change.operationId === 'accountDeleteSessions') {
    // @note One event for all of them (account.php): the last session's ID, the caller's current session as payload, `[]` when it was not among them.
    primary = own.at(-1) as Change;
    const current = own.find((c) => c.ids.sessionId === change.caller.sessionId);
    payload = current ? Object.assign({}, current.model, { current: true }) : [];
  } else if (template.endsWith('.update.prefs') && payload !== null && !Array.isArray(payload)) {
    // The answer of a prefs update is the preferences themselves.
    payload = ((payload as Record<string, unknown>).prefs as Record<string, unknown> | undefined) ?? {};
  }
  if (EMPTY_PAYLOAD.has(change.operationId)) payload = [];
  return { operationId: change.operationId, project: change.caller.credentials.project, ids: primary.ids, callerUserId: change.caller.userId, payload };
}

/** The write a cassette answered: IDs from the request's path, the payload from the recorded answer (none for a 204). */
export function writeOfCassette(write: CassetteWrite): Write | null {
  if (!Object.hasOwn(EVENT_TEMPLATES, write.operationId)) return null;
  const body = write.response.body;
  const answer = body?.kind === 'json' && body.value !== null && typeof body.value === 'object' ? (body.value as Record<string, unknown>) : null;
  const payload: Write['payload'] = EMPTY_PAYLOAD.has(write.operationId) ? [] : answer;
  return { operationId: write.operationId, project: write.caller.credentials.project, ids: write.pathParams, callerUserId: write.caller.userId, payload };
}
