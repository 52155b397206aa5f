import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, Teams, Users } from 'node-appwrite-13';
import type { StateChange } from '../src/index.js';
import { startTestServer, type TestServer } from './support/server.js';

/** Appwrite's session cookie value: base64 of `{"id": userId, "secret": secret}` (Auth::encodeSession at 1.5.0). */
const cookieValue = (userId: string, secret: string): string => Buffer.from(JSON.stringify({ id: userId, secret })).toString('base64');

describe('the state: one caller for every credential, and a log of what each request changed', () => {
  let server: TestServer;
  let users: Users;
  let teams: Teams;
  const heard: StateChange[] = [];
  beforeAll(async () => {
    server = await startTestServer({ onStateChange: (change) => heard.push(change) });
    const client = new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key');
    users = new Users(client);
    teams = new Teams(client);
  });
  afterAll(() => server.stop());
  // Each test starts from the empty state and builds what it needs.
  beforeEach(async () => {
    await server.reset();
    heard.length = 0;
  });

  const asUser = (headers: Record<string, string>) =>
    server.call('GET', '/account', { headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-key': '', ...headers } });

  const createAda = () => users.create('ada', 'ada@example.com', undefined, 'correct-horse', 'Ada');

  it('answers the account of a session presented as the cookie, the session header or X-Fallback-Cookies alike', async () => {
    await createAda();
    const { secret } = await users.createSession('ada');
    const value = cookieValue('ada', secret);
    const ways: Record<string, string>[] = [
      { cookie: `a_session_test-project=${value}` },
      { cookie: `other=1; a_session_test-project_legacy=${value}` },
      { 'x-appwrite-session': value },
      { 'x-appwrite-session': secret },
      { 'x-fallback-cookies': JSON.stringify({ 'a_session_test-project': value }) },
    ];
    for (const headers of ways) {
      const answer = await asUser(headers);
      expect(answer.headers.get('x-vcr-fallback'), JSON.stringify(headers)).toBe('state');
      expect(((await answer.json()) as { $id: string }).$id).toBe('ada');
    }
  });

  it('never takes a session of another user, of another project or that it did not issue for the account', async () => {
    await createAda();
    await users.create('grace', 'grace@example.com');
    const { secret } = await users.createSession('ada');
    const refused: Record<string, string>[] = [
      { cookie: `a_session_other-project=${cookieValue('ada', secret)}` },
      { cookie: `a_session_test-project=${cookieValue('grace', secret)}` },
      { cookie: 'a_session_test-project=junk' },
    ];
    for (const headers of refused) {
      const answer = await asUser(headers);
      expect([answer.status, ((await answer.json()) as { type: string }).type], JSON.stringify(headers)).toEqual([401, 'general_unauthorized_scope']);
    }
  });

  it('hears of each change once, after the request, with the deletes a user deletion cascades to', async () => {
    await users.create('grace', 'grace@example.com');
    await users.createSession('grace');
    await teams.create('crew', 'Crew');
    await teams.createMembership('crew', ['owner'], undefined, 'grace');
    heard.length = 0;
    await users.get('grace');
    await users.list();
    expect(heard).toEqual([]);

    await users.delete('grace');
    expect(heard).toHaveLength(1);
    const [deletion] = heard;
    expect(deletion!.operationId).toBe('usersDelete');
    expect(deletion!.caller.role).toBe('apps');
    expect(deletion!.changes.map((c) => [c.action, c.resource, c.cascade])).toEqual([
      ['delete', 'user', false],
      ['delete', 'session', true],
      ['delete', 'membership', true],
    ]);
    expect(deletion!.changes[0]!.model).toMatchObject({ $id: 'grace', email: 'grace@example.com' });
    // A listed or heard-of session never carries its secret.
    expect(deletion!.changes[1]!.model.secret).toBe('');
    expect((await teams.get('crew')).total).toBe(0);
  });

  it('records the user a team invitation by email creates (with its email target) as a cascade of the membership', async () => {
    await teams.create('crew', 'Crew');
    heard.length = 0;
    const membership = await teams.createMembership('crew', ['member'], 'new@example.com');
    expect(heard.map((h) => h.changes.map((c) => [c.action, c.resource, c.cascade]))).toEqual([
      [
        ['create', 'user', true],
        ['create', 'target', true],
        ['create', 'membership', false],
      ],
    ]);
    expect(heard[0]!.changes[0]!.ids).toEqual({ userId: membership.userId });
    expect(heard[0]!.changes[1]!.model).toMatchObject({ providerType: 'email', identifier: 'new@example.com', userId: membership.userId });
    expect(heard[0]!.changes[2]!.ids).toEqual({ teamId: 'crew', membershipId: membership.$id });
  });

  it('hands listeners frozen copies: nothing stored can be reached through what they heard', async () => {
    await createAda();
    heard.length = 0;
    await users.updateName('ada', 'Ada Lovelace');
    const model = heard[0]!.changes[0]!.model as Record<string, unknown>;
    expect(() => {
      model.name = 'Mallory';
    }).toThrow(TypeError);
    expect(() => (model.labels as string[]).push('admin')).toThrow(TypeError);
    expect(await users.get('ada')).toMatchObject({ name: 'Ada Lovelace', labels: [] });
  });
});
