/**
 * Who may receive an event, as Appwrite 1.5 decides it: a connection holds roles, an event names the
 * roles that may read its resource, and the connection receives it when they share one, or when the
 * event's roles hold `any` (`Realtime::getSubscribers`, src/Appwrite/Messaging/Adapter/Realtime.php).
 *
 * A user's roles are the ones every permission check of the state uses (`rolesOf`, src/permissions), read
 * from the state when the connection is made or re-authenticated.
 */

/** A guest connection's roles (Auth::getRoles at 1.5.0); a signed-in user's come from the state, by `rolesOf` (src/permissions). */
export const GUEST_ROLES: readonly string[] = Object.freeze(['any', 'guests']);

/** The roles a `$permissions` list lets read (`read("any")` → `any`); other actions never grant receipt. */
export function readRoles(permissions: unknown): string[] {
  if (!Array.isArray(permissions)) return [];
  const roles: string[] = [];
  for (const permission of permissions) {
    const match = /^read\((.*)\)$/.exec(String(permission).replace(/\s/g, ''));
    if (match) roles.push((match[1] as string).replace(/"/g, ''));
  }
  return roles;
}

/** True when a connection holding `roles` may receive an event readable by `eventRoles`. */
export function mayRead(roles: ReadonlySet<string>, eventRoles: readonly string[]): boolean {
  for (const role of eventRoles) if (role === 'any' || roles.has(role)) return true;
  return false;
}
