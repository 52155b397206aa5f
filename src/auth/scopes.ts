import type { Caller } from './caller.js';

/** The scopes every role of app/config/roles.php at 1.5.0 starts with. */
const BASE_SCOPES = ['global', 'public', 'home', 'console', 'graphql', 'sessions.write'];

/** The scopes of a guest (app/config/roles.php at 1.5.0, `Auth::USER_ROLE_GUESTS`). */
const GUEST_SCOPES: ReadonlySet<string> = new Set([
  ...BASE_SCOPES,
  'documents.read',
  'documents.write',
  'files.read',
  'files.write',
  'locale.read',
  'avatars.read',
  'execution.write',
]);

/** The scopes of a signed-in user (app/config/roles.php at 1.5.0, `$member`). */
const USER_SCOPES: ReadonlySet<string> = new Set([
  ...BASE_SCOPES,
  'account',
  'teams.read',
  'teams.write',
  'documents.read',
  'documents.write',
  'files.read',
  'files.write',
  'projects.read',
  'projects.write',
  'locale.read',
  'avatars.read',
  'execution.read',
  'execution.write',
  'targets.read',
  'targets.write',
  'subscribers.write',
  'subscribers.read',
  'assistant.read',
]);

/** Scopes no API key can be given (app/config/scopes.php at 1.5.0 lists those it can): the account is a user's. */
const NOT_FOR_KEYS: ReadonlySet<string> = new Set(['account', 'public', 'home', 'console', 'projects.read', 'projects.write']);

/**
 * Appwrite's message when the caller's role lacks the operation's scope, or null when it holds it
 * (app/controllers/shared/api.php at 1.5.0, lines 253-259). A key is taken to hold every scope a key can
 * have: replay cannot know which ones the project gave it.
 */
export function missingScope(caller: Caller, scope: string): string | null {
  if (caller.role === 'apps') {
    if (!NOT_FOR_KEYS.has(scope)) return null;
    // app/controllers/shared/api.php:205-211 at 1.5.0: a key's caller is named after the project and host.
    return `app.${caller.credentials.project}@service.${caller.credentials.host} (role: applications) missing scope (${scope})`;
  }
  const scopes = caller.role === 'users' ? USER_SCOPES : GUEST_SCOPES;
  if (scopes.has(scope)) return null;
  return `${caller.email ?? 'User'} (role: ${caller.role}) missing scope (${scope})`;
}
