/**
 * Appwrite's permission strings, `ACTION("ROLE")` (utopia-php/database 0.48.4, Helpers/Permission.php
 * and Helpers/Role.php): ROLE is `name`, `name:id`, `name/dimension` or `name:id/dimension`.
 */

/** The actions a stored permission names; `write` is only ever sent, and stored as what it stands for. */
export type Action = 'create' | 'read' | 'update' | 'delete';

/** Every action in Appwrite's order (Database::PERMISSIONS). */
export const ACTIONS: readonly Action[] = ['create', 'read', 'update', 'delete'];

/** What documents and files allow: `create` is the collection's or the bucket's alone. */
export const ITEM_ACTIONS: readonly Action[] = ['read', 'update', 'delete'];

export interface ParsedPermission {
  /** `read`, `create`, …, or `write` as sent. */
  action: string;
  /** The role exactly as Appwrite writes it back (`user:ID/verified`). */
  role: string;
}

/** The action and role of a permission string; null when it is not one. */
export function parsePermission(permission: string): ParsedPermission | null {
  const open = permission.indexOf('("');
  if (open <= 0 || permission.indexOf('("', open + 1) !== -1 || !permission.endsWith('")')) return null;
  return { action: permission.slice(0, open), role: permission.slice(open + 2, -2) };
}

/** `action("role")`. */
export function permissionString(action: string, role: string): string {
  return `${action}("${role}")`;
}

/**
 * Permissions as Appwrite stores them (Permission::aggregate): `write` becomes each of create, update and
 * delete that `allowed` holds, actions `allowed` does not hold are dropped from `write` only, and a
 * permission given twice is kept once, where it first appeared. `null` (none sent) stays `null`.
 */
export function aggregate(permissions: readonly string[] | null | undefined, allowed: readonly Action[] = ACTIONS): string[] | null {
  if (permissions === null || permissions === undefined) return null;
  const out = new Set<string>();
  for (const permission of permissions) {
    const parsed = parsePermission(permission);
    if (parsed?.action === 'write') {
      for (const action of ['create', 'update', 'delete'] as const) if (allowed.includes(action)) out.add(permissionString(action, parsed.role));
    } else {
      out.add(permission);
    }
  }
  return [...out];
}

/** The permissions a signed-in user's new document or file gets when none are sent; a guest's and a key's get none. */
export function creatorPermissions(userId: string | null): string[] {
  return userId === null ? [] : ITEM_ACTIONS.map((action) => permissionString(action, `user:${userId}`));
}
