export { ACTIONS, ITEM_ACTIONS, aggregate, creatorPermissions, parsePermission, permissionString, type Action, type ParsedPermission } from './permission.js';
export { allows, grantMessage, holdsAny, refusalMessage, ungrantable } from './allows.js';
export { isApiKey, rolesOf, rolesOfUser, type RoleData, type RoleUser } from './roles-of.js';
export { permissionsProblem, rolesProblem } from './validate-permissions.js';
