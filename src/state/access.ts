import { aggregate, allows, grantMessage, isApiKey, permissionsProblem, rolesOf, ungrantable, type Action } from '../permissions/index.js';
import { fail } from './state-failure.js';
import type { StateContext } from './state-request.js';

/** Who is asking, as a handler checks it: an API key (which every check lets through) or the caller's roles. */
export interface Access {
  readonly key: boolean;
  /** The signed-in user; null for a key or a guest. */
  readonly userId: string | null;
  readonly roles: ReadonlySet<string>;
}

export function accessOf({ caller, data }: Pick<StateContext, 'caller' | 'data'>): Access {
  const roles = rolesOf(caller, data);
  return { key: isApiKey(caller), userId: caller.role === 'users' && caller.userId !== null && data.users.has(caller.userId) ? caller.userId : null, roles };
}

/** True for a key, else when `permissions` grant `action` to one of the caller's roles. */
export function grants(access: Access, permissions: unknown, action: Action): boolean {
  return access.key || allows(access.roles, Array.isArray(permissions) ? (permissions as unknown[]) : null, action);
}

/** Refuses (401 user_unauthorized, Appwrite's default message) unless the check passed. */
export function authorize(allowed: boolean): void {
  if (!allowed) fail('user_unauthorized');
}

/** Refuses permissions naming a role the caller does not hold: users may only grant their own roles (keys any). */
export function checkGrantable(access: Access, permissions: readonly string[]): void {
  if (!access.key && ungrantable(access.roles, permissions) !== null) fail('user_unauthorized', grantMessage(access.roles));
}

/**
 * The `permissions` parameter as Appwrite stores it (`write` expanded to the actions `allowed` holds),
 * or null when none was sent; one Appwrite's validator refuses is 400 with its description.
 */
export function permissionsParam(raw: unknown, allowed: readonly Action[]): string[] | null {
  if (raw === null || raw === undefined) return null;
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  const problem = permissionsProblem(list, [...allowed, 'write']);
  if (problem) fail('general_argument_invalid', `Invalid \`permissions\` param: ${problem}`);
  return aggregate(list as string[], allowed);
}
