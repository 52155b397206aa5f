import type { Caller } from '../auth/caller.js';

/** A user as the roles need it: a stored user's model and its memberships (membership ID → team ID, in the order they were made). */
export interface RoleUser {
  readonly model: Readonly<Record<string, unknown>>;
  readonly memberships: ReadonlyMap<string, string>;
}

/** What the roles of a caller are read from: users, and teams with their memberships. The state's data is one. */
export interface RoleData {
  readonly users: ReadonlyMap<string, RoleUser>;
  readonly teams: ReadonlyMap<string, { readonly memberships: ReadonlyMap<string, Readonly<Record<string, unknown>>> }>;
}

/** The roles of a guest, in Appwrite's order. */
const GUEST_ROLES: ReadonlySet<string> = Object.freeze(new Set(['any', 'guests']));
/** An API key's roles; a key passes every permission check whatever they are (see `isApiKey`). */
const KEY_ROLES: ReadonlySet<string> = Object.freeze(new Set(['any', 'apps']));

/** True for a caller with an API key: Appwrite turns every permission check off for it. */
export function isApiKey(caller: Caller): boolean {
  return caller.role === 'apps';
}

/**
 * The roles a caller holds, in the order Appwrite lists them (its `Permissions must be one of: (...)`
 * message shows them so): `any`; a guest `guests`; a user `users`, `user:ID`, `user:ID/verified` and
 * `users/verified` (email or phone verified) or the two `unverified` ones, then for each confirmed
 * membership `team:TEAM`, `member:MEMBERSHIP` and `team:TEAM/ROLE` per team role, then `label:X` per label
 * (app/controllers/shared/api.php and Auth::getRoles at 1.5.0). Read afresh from `data` on every call:
 * a membership confirmed or deleted, a label or a verification changed, counts on the next request.
 */
export function rolesOf(caller: Caller, data: RoleData): ReadonlySet<string> {
  if (caller.role === 'apps') return KEY_ROLES;
  const roles = caller.userId === null ? null : rolesOfUser(caller.userId, data);
  // @note A user the state cannot name (a session taken at its word without a model of sessions) holds `users` alone.
  if (!roles) return caller.role === 'users' ? Object.freeze(new Set(['any', 'users'])) : GUEST_ROLES;
  return roles;
}

/** The roles of a stored user (as `rolesOf` lists them), or null when `data` has no such user; realtime's connections hold these. */
export function rolesOfUser(userId: string, data: RoleData): ReadonlySet<string> | null {
  const user = data.users.get(userId);
  if (!user) return null;
  const id = String(user.model.$id);
  const verified = user.model.emailVerification === true || user.model.phoneVerification === true ? 'verified' : 'unverified';
  const roles = new Set(['any', 'users', `user:${id}`, `user:${id}/${verified}`, `users/${verified}`]);
  for (const [membershipId, teamId] of user.memberships) {
    const membership = data.teams.get(teamId)?.memberships.get(membershipId);
    if (membership?.confirm !== true) continue;
    roles.add(`team:${teamId}`);
    roles.add(`member:${membershipId}`);
    for (const role of Array.isArray(membership.roles) ? membership.roles : []) roles.add(`team:${teamId}/${String(role)}`);
  }
  for (const label of Array.isArray(user.model.labels) ? user.model.labels : []) roles.add(`label:${String(label)}`);
  return Object.freeze(roles);
}
