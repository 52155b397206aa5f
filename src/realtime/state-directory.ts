import type { AppwriteState } from '../state/appwrite-state.js';
import { readRoles } from './audience.js';
import type { RealtimeDirectory } from './create-realtime.js';
import { accountModel } from './realtime-event.js';

/** What realtime reads from the stateful fallback: its sessions, users with their roles, collections and buckets. */
export function stateDirectory(state: AppwriteState): RealtimeDirectory {
  return {
    sessions: state.sessions,
    user: (userId) => {
      const found = state.user(userId);
      return found ? { account: accountModel(found.account), roles: found.roles } : null;
    },
    container: (kind, ids) => {
      const model = state.container(kind, ids);
      if (!model) return null;
      return { read: readRoles(model.$permissions), security: (kind === 'collection' ? model.documentSecurity : model.fileSecurity) === true };
    },
  };
}

/** Without the stateful fallback no session resolves (every connection is a guest) and no container is known. */
export const NO_DIRECTORY: RealtimeDirectory = Object.freeze({
  sessions: Object.freeze({ session: () => null, jwt: () => null }),
  user: () => null,
  container: () => null,
});
