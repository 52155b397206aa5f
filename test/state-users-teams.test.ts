import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account, Client, Query, Teams, Users } from 'node-appwrite-13';
import { startTestServer, type TestServer } from './support/server.js';

describe('stateful fallback: users and teams through the official SDK', () => {
  let server: TestServer;
  let users: Users;
  let teams: Teams;
  // A server of its own for each test: none builds on the users another one made.
  beforeEach(async () => {
    server = await startTestServer();
    const client = new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key');
    users = new Users(client);
    teams = new Teams(client);
  });
  afterEach(async () => {
    // Every answer of every test stays within the contract.
    expect(server.summary().responseViolations).toBe(0);
    await server.stop();
  });

  /** Ada, Grace, Alan and md5, as the first test makes them. */
  async function fourUsers(): Promise<void> {
    await users.create('ada', 'Ada@Example.com', undefined, 'correct-horse', 'Ada Lovelace');
    await users.createBcryptUser('grace', 'grace@example.com', '$2a$10$abcdefghijklmnopqrstuu5Xq7V4vZ0k9m7bCz6bbZ5Ykq8a1tW6', 'Grace Hopper');
    await users.createScryptUser('alan', 'alan@example.com', 'aGFzaA==', 'c2FsdA==', 16384, 8, 1, 64, 'Alan Turing');
    await users.createMD5User('md5', 'md5@example.com', '5f4dcc3b5aa765d61d8327deb882cf99');
  }

  it('creates users with plain and hashed passwords and refuses a duplicate email with 409', async () => {
    const ada = await users.create('ada', 'Ada@Example.com', undefined, 'correct-horse', 'Ada Lovelace');
    expect(ada).toMatchObject({ $id: 'ada', email: 'ada@example.com', name: 'Ada Lovelace', status: true, labels: [], prefs: {}, emailVerification: false });
    expect(JSON.stringify(ada)).not.toContain('correct-horse');
    const bcrypt = await users.createBcryptUser('grace', 'grace@example.com', '$2a$10$abcdefghijklmnopqrstuu5Xq7V4vZ0k9m7bCz6bbZ5Ykq8a1tW6', 'Grace Hopper');
    expect(bcrypt).toMatchObject({ hash: 'bcrypt', password: '$2a$10$abcdefghijklmnopqrstuu5Xq7V4vZ0k9m7bCz6bbZ5Ykq8a1tW6' });
    const scrypt = await users.createScryptUser('alan', 'alan@example.com', 'aGFzaA==', 'c2FsdA==', 16384, 8, 1, 64, 'Alan Turing');
    expect(scrypt.hashOptions).toMatchObject({ type: 'scrypt', costCpu: 16384, costMemory: 8, costParallel: 1, length: 64 });
    await users.createMD5User('md5', 'md5@example.com', '5f4dcc3b5aa765d61d8327deb882cf99');
    const duplicate = await users.create('other', 'ada@example.com').catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: 409, type: 'user_already_exists' });
    const sameId = await users.create('ada', 'new@example.com').catch((e: unknown) => e);
    expect(sameId).toMatchObject({ code: 409, type: 'user_already_exists' });
  });

  it('lists users with Query.search and the search parameter, and updates labels and prefs', async () => {
    await fourUsers();
    const found = await users.list([Query.search('name', 'Grace')]);
    expect(found.total).toBe(1);
    expect(found.users[0]!.$id).toBe('grace');
    expect((await users.list([], 'turing')).users.map((u) => u.$id)).toEqual(['alan']);
    expect((await users.list()).total).toBe(4);
    const labelled = await users.updateLabels('ada', ['admin', 'beta']);
    expect(labelled.labels).toEqual(['admin', 'beta']);
    expect(await users.updatePrefs('ada', { theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(await users.getPrefs('ada')).toEqual({ theme: 'dark' });
    expect((await users.list([Query.equal('labels', 'beta')])).users.map((u) => u.$id)).toEqual(['ada']);
    const missing = await users.get('nobody').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 404, type: 'user_not_found' });
  });

  it('acts on the user behind a session made through the Users service', async () => {
    await fourUsers();
    await users.updatePrefs('ada', { theme: 'dark' });
    const session = await users.createSession('ada');
    expect(session.userId).toBe('ada');
    const account = new Account(new Client().setEndpoint(server.endpoint).setProject('test-project').setSession(session.secret));
    expect((await account.get()).$id).toBe('ada');
    expect(await account.getPrefs()).toEqual({ theme: 'dark' });
  });

  it('adds members to a team and drops the memberships of a deleted user', async () => {
    await fourUsers();
    const team = await teams.create('crew', 'Crew');
    expect(team).toMatchObject({ $id: 'crew', name: 'Crew', total: 0 });
    const ada = await teams.createMembership('crew', ['owner'], undefined, 'ada');
    expect(ada).toMatchObject({ userId: 'ada', teamId: 'crew', confirm: true, roles: ['owner'], userEmail: 'ada@example.com' });
    await teams.createMembership('crew', ['member'], 'grace@example.com');
    expect((await teams.get('crew')).total).toBe(2);
    expect((await users.listMemberships('ada')).total).toBe(1);
    const again = await teams.createMembership('crew', ['member'], undefined, 'ada').catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 409, type: 'team_invite_already_exists' });

    await users.delete('ada');
    const memberships = await teams.listMemberships('crew');
    expect(memberships.total).toBe(1);
    expect(memberships.memberships[0]!.userId).toBe('grace');
    expect((await teams.get('crew')).total).toBe(1);
    expect(await users.listSessions('ada').catch((e: unknown) => e)).toMatchObject({ code: 404, type: 'user_not_found' });
  });
});
