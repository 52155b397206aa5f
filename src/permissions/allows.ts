import { parsePermission, type Action } from './permission.js';

/**
 * True when `permissions` grant `action` to one of `roles` (utopia-php/database's Authorization validator):
 * some `action("role")` names a role the caller holds. A `write("role")` grants create, update and delete,
 * though stored permissions never hold one (they are stored aggregated). No permissions grant nothing.
 * Pure: realtime asks the same question of the same roles.
 */
export function allows(roles: ReadonlySet<string>, permissions: readonly unknown[] | null | undefined, action: Action): boolean {
  if (!permissions) return false;
  for (const permission of permissions) {
    if (typeof permission !== 'string') continue;
    const parsed = parsePermission(permission);
    if (!parsed || !roles.has(parsed.role)) continue;
    if (parsed.action === action || (parsed.action === 'write' && action !== 'read')) return true;
  }
  return false;
}

/** True when one of `roles` is in a plain list of roles (a function's `execute`). */
export function holdsAny(roles: ReadonlySet<string>, list: readonly unknown[] | null | undefined): boolean {
  return (list ?? []).some((role) => typeof role === 'string' && roles.has(role));
}

/**
 * The first permission whose role the caller does not hold, in Appwrite's order (by action: create, read,
 * update, delete; then as given), or null when the caller may grant them all. A user may only grant its own roles.
 */
export function ungrantable(roles: ReadonlySet<string>, permissions: readonly string[]): string | null {
  for (const action of ['create', 'read', 'update', 'delete']) {
    for (const permission of permissions) {
      const parsed = parsePermission(permission);
      if (parsed && parsed.action === action && !roles.has(parsed.role)) return permission;
    }
  }
  return null;
}

/** Appwrite's refusal of a permission the caller may not grant: `Permissions must be one of: (any, users, …)`. */
export function grantMessage(roles: ReadonlySet<string>): string {
  return `Permissions must be one of: (${[...roles].join(', ')})`;
}

/**
 * The Authorization validator's description of a refusal, which Appwrite answers for a function's `execute`:
 * `No permissions provided for action 'execute'`, or `Missing "execute" permission for role "<last role>".
 * Only "<roles as JSON>" scopes are allowed and "<list as JSON>" was given.` (JSON as PHP writes it: `/` as `\/`).
 */
export function refusalMessage(roles: ReadonlySet<string>, list: readonly unknown[], action: string): string {
  if (list.length === 0) return `No permissions provided for action '${action}'`;
  const php = (value: unknown): string => JSON.stringify(value).replaceAll('/', '\\/');
  return `Missing "${action}" permission for role "${String(list[list.length - 1])}". Only "${php([...roles])}" scopes are allowed and "${php(list)}" was given.`;
}
