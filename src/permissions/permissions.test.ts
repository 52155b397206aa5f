import { describe, expect, it } from 'vitest';
import type { Caller } from '../auth/caller.js';
import {
  aggregate,
  allows,
  creatorPermissions,
  grantMessage,
  permissionsProblem,
  refusalMessage,
  rolesOf,
  rolesProblem,
  ungrantable,
  type RoleData,
} from './index.js';

const credentials = Object.freeze({ project: 'p', key: '', session: null, sessionFrom: null, jwt: '', host: '' });
const asUser = (userId: string): Caller => ({ role: 'users', credentials, userId, sessionId: 's', email: null, refusal: null });
const guest: Caller = { role: 'guests', credentials, userId: null, sessionId: null, email: null, refusal: null };
const key: Caller = { role: 'apps', credentials: { ...credentials, key: 'k' }, userId: null, sessionId: null, email: null, refusal: null };

function data(): RoleData {
  return {
    users: new Map([
      [
        'u1',
        {
          model: { $id: 'u1', emailVerification: false, phoneVerification: false, labels: ['vip'] },
          memberships: new Map([
            ['m1', 't1'],
            ['m2', 't2'],
          ]),
        },
      ],
      ['u2', { model: { $id: 'u2', emailVerification: false, phoneVerification: true, labels: [] }, memberships: new Map() }],
    ]),
    teams: new Map([
      ['t1', { memberships: new Map([['m1', { confirm: true, roles: ['owner', 'editor'] }]]) }],
      ['t2', { memberships: new Map([['m2', { confirm: false, roles: ['owner'] }]]) }],
    ]),
  };
}

describe('roles and permissions as Appwrite 1.5 decides them', () => {
  it("lists a user's roles in Appwrite's order, with confirmed memberships only and labels last", () => {
    expect([...rolesOf(asUser('u1'), data())]).toEqual([
      'any',
      'users',
      'user:u1',
      'user:u1/unverified',
      'users/unverified',
      'team:t1',
      'member:m1',
      'team:t1/owner',
      'team:t1/editor',
      'label:vip',
    ]);
  });

  it('counts a verified phone as verified, and gives a guest any and guests', () => {
    expect([...rolesOf(asUser('u2'), data())]).toEqual(['any', 'users', 'user:u2', 'user:u2/verified', 'users/verified']);
    expect([...rolesOf(guest, data())]).toEqual(['any', 'guests']);
    expect([...rolesOf(asUser('gone'), data())]).toEqual(['any', 'users']);
    expect([...rolesOf(key, data())]).toEqual(['any', 'apps']);
  });

  it('allows an action when a permission of that action names a held role, write standing for create, update and delete', () => {
    const roles = rolesOf(asUser('u1'), data());
    expect(allows(roles, ['read("team:t1")'], 'read')).toBe(true);
    expect(allows(roles, ['read("team:t2")'], 'read')).toBe(false);
    expect(allows(roles, ['update("user:u1")'], 'read')).toBe(false);
    expect(allows(roles, ['write("label:vip")'], 'delete')).toBe(true);
    expect(allows(roles, ['write("label:vip")'], 'read')).toBe(false);
    expect(allows(roles, [], 'read')).toBe(false);
    expect(allows(roles, null, 'read')).toBe(false);
  });

  it('aggregates write into the actions a resource allows, keeping the first of each permission', () => {
    expect(aggregate(['read("any")', 'write("users")', 'read("any")'])).toEqual(['read("any")', 'create("users")', 'update("users")', 'delete("users")']);
    expect(aggregate(['write("users")'], ['read', 'update', 'delete'])).toEqual(['update("users")', 'delete("users")']);
    expect(aggregate(null)).toBeNull();
    expect(creatorPermissions('u1')).toEqual(['read("user:u1")', 'update("user:u1")', 'delete("user:u1")']);
    expect(creatorPermissions(null)).toEqual([]);
  });

  it('finds a role a user may not grant and words the refusal as Appwrite does', () => {
    const roles = rolesOf(asUser('u2'), data());
    expect(ungrantable(roles, ['read("any")', 'update("user:u2")'])).toBeNull();
    expect(ungrantable(roles, ['read("users/unverified")'])).toBe('read("users/unverified")');
    expect(grantMessage(roles)).toBe('Permissions must be one of: (any, users, user:u2, user:u2/verified, users/verified)');
    // Authorization::isValid's description, with PHP's json_encode escaping "/" (utopia-php/database 0.48.4, Validator/Authorization.php:61-74).
    expect(refusalMessage(roles, ['team:t1'], 'execute')).toBe(
      'Missing "execute" permission for role "team:t1". Only "["any","users","user:u2","user:u2\\/verified","users\\/verified"]" scopes are allowed and "["team:t1"]" was given.',
    );
    expect(refusalMessage(roles, [], 'execute')).toBe("No permissions provided for action 'execute'");
  });
});

describe("Appwrite's validators of permissions and roles", () => {
  const item = ['read', 'update', 'delete', 'write'];
  it('accepts well-formed permissions and roles', () => {
    expect(
      permissionsProblem(['read("any")', 'update("user:a1/verified")', 'write("team:t1/owner")', 'delete("label:vip")', 'read("users/unverified")'], item),
    ).toBeNull();
    expect(rolesProblem(['any', 'users', 'user:u1', 'team:t1/editor', 'member:m1'])).toBeNull();
  });

  it("describes each refusal in utopia-php/database's words, first problem first", () => {
    expect(permissionsProblem(['*'], item)).toBe('Wildcard permission "*" has been replaced. Use "any" instead.');
    expect(permissionsProblem(['read("role:all")'], item)).toBe(
      'Permissions using the "role:" prefix have been replaced. Use "users", "guests", or "any" instead.',
    );
    expect(permissionsProblem(['create("any")'], item)).toBe('Permission "create("any")" is not allowed. Must be one of: read, update, delete, write.');
    expect(permissionsProblem(['read(any)'], item)).toBe('Invalid permission string format: "read(any)".');
    expect(permissionsProblem(['reading("any")'], item)).toBe('Invalid permission type: "reading".');
    expect(permissionsProblem(['read("admins")'], item)).toBe('Role "admins" is not allowed. Must be one of: any, guests, users, user, team, member, label.');
    expect(permissionsProblem(['read("user")'], item)).toBe('Role "user" must have an ID value.');
    expect(permissionsProblem(['read("any:x")'], item)).toBe('Role "any" can not have an ID value.');
    expect(permissionsProblem(['read("users/admin")'], item)).toBe('Role "users" dimension value is invalid. Must be one of: verified, unverified.');
    expect(permissionsProblem(['read("user:a/b/c")'], item)).toBe('Only one dimension can be provided');
    expect(permissionsProblem(['read("member:m1/x")'], item)).toBe('Role "member" can not have a dimension value.');
    expect(permissionsProblem(['read("label:v-i-p")'], item)).toBe(
      'Role "label" identifier value is invalid: Value must be a valid string between 1 and 36 chars containing only alphanumeric chars',
    );
    expect(permissionsProblem(['read("user:_x")'], item)).toMatch(/^Role "user" identifier value is invalid: Parameter must contain at most 36 chars/);
    expect(rolesProblem(['*'])).toBe('Wildcard role "*" has been replaced. Use "any" instead.');
    expect(rolesProblem(['everyone'])).toBe('Role "everyone" is not allowed. Must be one of: any, guests, users, user, team, member, label.');
    expect(rolesProblem(['team'])).toBe('Role "team" must have an ID value.');
  });
});
