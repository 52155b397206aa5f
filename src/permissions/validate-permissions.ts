/**
 * Appwrite's checks of `permissions` and of a function's `execute` roles (utopia-php/database 0.48.4,
 * Validator/Permissions.php, Validator/Roles.php, Helpers/Permission.php::parse, Helpers/Role.php::parse),
 * with their messages, in their order. Each returns the first problem's description, or null.
 */

const ROLE_NAMES = ['any', 'guests', 'users', 'user', 'team', 'member', 'label'] as const;
const USER_DIMENSIONS = ['verified', 'unverified'];
const KEY_MESSAGE = "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";
const LABEL_MESSAGE = 'Value must be a valid string between 1 and 36 chars containing only alphanumeric chars';

/** What each role takes: an ID (required when allowed, except for none), a dimension (from `options` when listed). */
const CONFIG: Record<string, { id: boolean; dimension: boolean; options?: readonly string[] }> = {
  any: { id: false, dimension: false },
  guests: { id: false, dimension: false },
  users: { id: false, dimension: true, options: USER_DIMENSIONS },
  user: { id: true, dimension: true, options: USER_DIMENSIONS },
  team: { id: true, dimension: true },
  member: { id: true, dimension: false },
  label: { id: true, dimension: false },
};

/** PHP's `empty()` for a string: '' and '0'. */
const phpEmpty = (value: string): boolean => value === '' || value === '0';

function isKey(value: string): boolean {
  return value !== '' && !/^[_.-]/.test(value) && !/[^A-Za-z0-9_.-]/.test(value) && value.length <= 36;
}

/** A role's name, ID and dimension as Appwrite splits them, or the parse error. */
function splitRole(full: string): { name: string; id: string; dimension: string } | string {
  const parts = full.split(':');
  const name = parts[0] ?? '';
  const hasId = parts.length > 1;
  if (!full.includes('/')) return { name, id: hasId ? (parts[1] ?? '') : '', dimension: '' };
  const dimensionParts = (hasId ? (parts[1] ?? '') : full).split('/');
  if (dimensionParts.length !== 2) return 'Only one dimension can be provided';
  const dimension = dimensionParts[1] ?? '';
  if (phpEmpty(dimension)) return 'Dimension must not be empty';
  return hasId ? { name, id: dimensionParts[0] ?? '', dimension } : { name: dimensionParts[0] ?? '', id: '', dimension };
}

/** Roles::isValidRole's description of what is wrong with a role, or null. */
function roleProblem(full: string): string | null {
  const split = splitRole(full);
  if (typeof split === 'string') return split;
  const { name, id, dimension } = split;
  const config = Object.hasOwn(CONFIG, name) ? CONFIG[name] : undefined;
  if (!config) return `Role "${name}" is not allowed. Must be one of: ${ROLE_NAMES.join(', ')}.`;
  if (!config.id && !phpEmpty(id)) return `Role "${name}" can not have an ID value.`;
  if (config.id && phpEmpty(id)) return `Role "${name}" must have an ID value.`;
  if (config.id && !phpEmpty(id)) {
    if (name === 'label' && !(isKey(id) && /^[A-Za-z0-9]+$/.test(id))) return `Role "${name}" identifier value is invalid: ${LABEL_MESSAGE}`;
    if (name !== 'label' && !isKey(id)) return `Role "${name}" identifier value is invalid: ${KEY_MESSAGE}`;
  }
  if (!config.dimension && !phpEmpty(dimension)) return `Role "${name}" can not have a dimension value.`;
  if (config.dimension && !phpEmpty(dimension)) {
    const options = config.options ?? [dimension];
    if (!options.includes(dimension)) return `Role "${name}" dimension value is invalid. Must be one of: ${options.join(', ')}.`;
    if (!isKey(dimension)) return `Role "${name}" dimension value is invalid: ${KEY_MESSAGE}`;
  }
  return null;
}

/** The Permissions validator: `allowed` are the actions the resource takes, `write` included. */
export function permissionsProblem(permissions: readonly unknown[], allowed: readonly string[]): string | null {
  if (permissions.length > 100) return 'You can only provide up to 100 permissions.';
  for (const permission of permissions) {
    if (typeof permission !== 'string') return 'Every permission must be of type string.';
    if (permission === '*') return 'Wildcard permission "*" has been replaced. Use "any" instead.';
    if (permission.includes('role:')) return 'Permissions using the "role:" prefix have been replaced. Use "users", "guests", or "any" instead.';
    if (!allowed.some((action) => permission.startsWith(action))) return `Permission "${permission}" is not allowed. Must be one of: ${allowed.join(', ')}.`;
    const parts = permission.split('("');
    if (parts.length !== 2) return `Invalid permission string format: "${permission}".`;
    if (!['create', 'read', 'update', 'delete', 'write'].includes(parts[0] ?? '')) return `Invalid permission type: "${parts[0] ?? ''}".`;
    const problem = roleProblem((parts[1] ?? '').replaceAll('")', ''));
    if (problem) return problem;
  }
  return null;
}

/** The Roles validator, for a plain list of roles (a function's `execute`). */
export function rolesProblem(roles: readonly unknown[]): string | null {
  if (roles.length > 100) return 'You can only provide up to 100 roles.';
  for (const role of roles) {
    if (typeof role !== 'string') return 'Every role must be of type string.';
    if (role === '*') return 'Wildcard role "*" has been replaced. Use "any" instead.';
    if (role.includes('role:')) return 'Roles using the "role:" prefix have been removed. Use "users", "guests", or "any" instead.';
    if (!ROLE_NAMES.some((name) => role.startsWith(name))) return `Role "${role}" is not allowed. Must be one of: ${ROLE_NAMES.join(', ')}.`;
    const problem = roleProblem(role);
    if (problem) return problem;
  }
  return null;
}
