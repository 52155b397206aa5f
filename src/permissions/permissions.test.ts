import { describe, expect, it } from 'vitest';
import type { Caller } from '../auth/caller.js';
import { aggregate, allows, creatorPermissions, grantMessage, refusalMessage, rolesOf, ungrantable, type RoleData } from './index.js';

const credentials = Object.freeze({ project: 'p', key: '', session: null, sessionFrom: null, jwt: '' });
const asUser = (userId: string): Caller => ({ role: 'users', credentials, userId, sessionId: 's' });
const guest: Caller = { role: 'guests', credentials, userId: null, sessionId: null };
const key: Caller = { role: 'apps', credentials: { ...credentials, key: 'k' }, userId: null, sessionId: null };

function data(): RoleData {
  return {
    users: new Map([
      ['u1', { model: { $id: 'u1', emailVerification: false, phoneVerification: false, labels: ['vip'] }, memberships: new Map([['m1', 't1'], ['m2', 't2']]) }],
      ['u2', { model: { $id: 'u2', emailVerification: false, phoneVerification: true, labels: [] }, memberships: new Map() }],
    ]),
    teams: new Map([
      ['t1', { memberships: new Map([['m1', { confirm: true, roles: ['owner', 'editor'] }]]) }],
      ['t2', { memberships: new Map([['m2', { confirm: false, roles: ['owner'] }]]) }],
    ]),
  };
}

describe('roles and permissions as Appwrite 1.5 decides them', () => {
  it('lists a user\'s roles in Appwrite\'s order, with confirmed memberships only and labels last', () => {
    expect([...rolesOf(asUser('u1'), data())]).toEqual(['any', 'users', 'user:u1', 'user:u1/unverified', 'users/unverified', 'team:t1', 'member:m1', 'team:t1/owner', 'team:t1/editor', 'label:vip']);
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
    expect(refusalMessage(roles, ['team:t1'], 'execute')).toBe('Missing "execute" permission for role "team:t1". Only "["any","users","user:u2","user:u2\\/verified","users\\/verified"]" scopes are allowed and "["team:t1"]" was given.');
    expect(refusalMessage(roles, [], 'execute')).toBe("No permissions provided for action 'execute'");
  });
});
