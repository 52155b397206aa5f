/**
 * Who may receive an event, as Appwrite 1.5 decides it: a connection holds roles, an event names the
 * roles that may read its resource, and the connection receives it when they share one, or when the
 * event's roles hold `any` (`Realtime::getSubscribers`, src/Appwrite/Messaging/Adapter/Realtime.php).
 *
 * @note These are small pure functions on purpose: when a shared permissions module exists
 * (`rolesOf(caller, data)`, `allows(roles, permissions, 'read')`), `connectionRoles` and `mayRead` are
 * the two places to call it instead, and nothing else in realtime changes.
 */

/** What a connection's roles are worked out from: the signed-in user, its confirmed memberships. */
export interface AudienceUser {
  $id: string;
  emailVerification?: unknown;
  phoneVerification?: unknown;
  labels?: unknown;
}

export interface AudienceMembership {
  $id: string;
  teamId: string;
  roles: readonly string[];
}

/**
 * The roles of a connection (Auth::getRoles at 1.5.0): `guests` without a user; else `user:U`, `users`,
 * their `/verified` or `/unverified` forms, `team:T`, `member:M` and `team:T/role` per confirmed
 * membership, and `label:L` per label. `any` is not a role a connection holds: an event grants it.
 */
export function connectionRoles(user: AudienceUser | null, memberships: readonly AudienceMembership[] = []): string[] {
  if (!user) return ['guests'];
  const id = user.$id;
  const verified = user.emailVerification === true || user.phoneVerification === true;
  const roles = [`user:${id}`, 'users', `user:${id}/${verified ? 'verified' : 'unverified'}`, `users/${verified ? 'verified' : 'unverified'}`];
  for (const membership of memberships) {
    roles.push(`team:${membership.teamId}`, `member:${membership.$id}`);
    for (const role of membership.roles) roles.push(`team:${membership.teamId}/${role}`);
  }
  if (Array.isArray(user.labels)) for (const label of user.labels) roles.push(`label:${String(label)}`);
  return roles;
}

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
