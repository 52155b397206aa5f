import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Databases, Permission, Role, Teams, Users } from 'node-appwrite-13';
import { connectRealtime, type Frame, type RealtimeClient } from './support/realtime-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const PROJECT = 'test-project';
const session = (userId: string, secret: string): string => Buffer.from(JSON.stringify({ id: userId, secret })).toString('base64');

/** Every name Appwrite 1.5 publishes for a document event (Event::generateEvents; RealtimeCustomClientTest.php:751-762 asserts 12 of them). */
function documentEvents(d: string, c: string, x: string, action: string): string[] {
  return [
    `databases.${d}.collections.${c}.documents.${x}.${action}`,
    `databases.*.collections.*.documents.*.${action}`,
    `databases.${d}.collections.*.documents.${x}.${action}`,
    `databases.*.collections.*.documents.${x}.${action}`,
    `databases.*.collections.${c}.documents.${x}.${action}`,
    `databases.${d}.collections.${c}.documents.*.${action}`,
    `databases.*.collections.${c}.documents.*.${action}`,
    `databases.${d}.collections.*.documents.*.${action}`,
    `databases.${d}.collections.${c}.documents.${x}`,
    `databases.*.collections.*.documents.*`,
    `databases.${d}.collections.*.documents.${x}`,
    `databases.*.collections.*.documents.${x}`,
    `databases.*.collections.${c}.documents.${x}`,
    `databases.${d}.collections.${c}.documents.*`,
    `databases.*.collections.${c}.documents.*`,
    `databases.${d}.collections.*.documents.*`,
    `databases.${d}.collections.${c}`,
    `databases.*.collections.*`,
    `databases.${d}.collections.*`,
    `databases.*.collections.${c}`,
    `databases.${d}`,
    `databases.*`,
  ];
}

/** The names of a file event (RealtimeCustomClientTest.php:1146-1155). */
function fileEvents(b: string, f: string, action: string): string[] {
  return [
    `buckets.${b}.files.${f}.${action}`,
    `buckets.*.files.*.${action}`,
    `buckets.${b}.files.*.${action}`,
    `buckets.*.files.${f}.${action}`,
    `buckets.${b}.files.${f}`,
    `buckets.*.files.*`,
    `buckets.${b}.files.*`,
    `buckets.*.files.${f}`,
    `buckets.${b}`,
    `buckets.*`,
  ];
}

/** The Account model: the User model without its password fields (Model/Account.php at 1.5.0). */
function account(user: unknown): Record<string, unknown> {
  const out = Object.assign({}, user) as Record<string, unknown>;
  for (const key of ['password', 'hash', 'hashOptions', 'mfaRecoveryCodes']) delete out[key];
  return out;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

describe('replay serves Appwrite Realtime at /v1/realtime', () => {
  let server: TestServer;
  let databases: Databases;
  let users: Users;
  const open: RealtimeClient[] = [];
  const connect = async (...args: Parameters<typeof connectRealtime>): Promise<RealtimeClient> => {
    const client = await connectRealtime(...args);
    open.push(client);
    return client;
  };
  let ada = '';
  let bob = '';

  beforeAll(async () => {
    server = await startTestServer();
    const admin = new Client().setEndpoint(server.endpoint).setProject(PROJECT).setKey('test-key');
    databases = new Databases(admin);
    users = new Users(admin);
    await users.create('ada', 'ada@example.com', undefined, 'correct-horse', 'Ada');
    await users.create('bob', 'bob@example.com', undefined, 'correct-horse', 'Bob');
    ada = session('ada', (await users.createSession('ada')).secret);
    bob = session('bob', (await users.createSession('bob')).secret);
    await databases.create('db', 'db');
    await databases.createCollection('db', 'notes', 'Notes', [Permission.read(Role.any())]);
    await databases.createStringAttribute('db', 'notes', 'title', 100, false);
    await databases.createCollection('db', 'private', 'Private', [], true);
    await databases.createStringAttribute('db', 'private', 'title', 100, false);
  });
  afterAll(async () => {
    await Promise.all(open.map((client) => client.close()));
    await server.stop();
  });

  describe('connecting', () => {
    it('tells a guest its channels and no user', async () => {
      const client = await connect(server.endpoint, { project: PROJECT, channels: ['documents', 'account', 'files'] });
      expect(await client.next()).toEqual({ type: 'connected', data: { channels: ['documents', 'account', 'files'], user: null } });
    });

    it('tells a user signed in by cookie, legacy cookie, X-Appwrite-Session or X-Fallback-Cookies its account, and adds its own account channel', async () => {
      const expected = account(await (await server.call('GET', '/account', { headers: { 'x-appwrite-key': '', 'x-appwrite-session': ada } })).json());
      expect(expected).toMatchObject({ $id: 'ada', name: 'Ada', email: 'ada@example.com' });
      const ways: Record<string, string>[] = [
        { cookie: `a_session_${PROJECT}=${ada}` },
        { cookie: `other=1; a_session_${PROJECT}_legacy=${ada}` },
        { 'x-appwrite-session': ada },
        { 'x-fallback-cookies': JSON.stringify({ [`a_session_${PROJECT}`]: ada }) },
      ];
      for (const headers of ways) {
        const client = await connect(server.endpoint, { project: PROJECT, channels: ['account', 'documents', 'account.bob'] }, headers);
        // RealtimeCustomClientTest.php:80-111: `account.*` asked for are dropped, `account.<user>` comes last.
        expect(await client.next(), JSON.stringify(headers)).toEqual({
          type: 'connected',
          data: { channels: ['account', 'documents', 'account.ada'], user: expected },
        });
        expect(Object.keys(client.frames[0]?.data.user as object)).not.toContain('hash');
        await client.close();
      }
    });

    it('takes a session the state never issued for a guest, as Appwrite does', async () => {
      const client = await connect(
        server.endpoint,
        { project: PROJECT, channels: ['account'] },
        { cookie: `a_session_${PROJECT}=${session('ada', 'not-the-secret')}` },
      );
      expect(await client.next()).toEqual({ type: 'connected', data: { channels: ['account'], user: null } });
    });

    it('refuses a missing project or missing channels with an error frame, then closes with 1008', async () => {
      const noProject = await connect(server.endpoint, { channels: ['documents'] });
      expect(await noProject.next()).toEqual({ type: 'error', data: { code: 1008, message: 'Missing or unknown project ID' } });
      expect((await noProject.closed).code).toBe(1008);
      const noChannels = await connect(server.endpoint, { project: PROJECT });
      expect(await noChannels.next()).toEqual({ type: 'error', data: { code: 1008, message: 'Missing channels' } });
      expect((await noChannels.closed).code).toBe(1008);
      // Only `account.*` channels: all dropped, so none are left (Realtime::convertChannels).
      const onlyOthers = await connect(server.endpoint, { project: PROJECT, channels: ['account.bob'] });
      expect(await onlyOthers.next()).toEqual({ type: 'error', data: { code: 1008, message: 'Missing channels' } });
      expect((await onlyOthers.closed).code).toBe(1008);
    });

    it('answers bad messages with 1003 error frames and keeps the connection, then authenticates it by the authentication message', async () => {
      const client = await connect(server.endpoint, { project: PROJECT, channels: ['account'] });
      await client.next();
      // RealtimeCustomClientTest.php:155-212, in the order Appwrite checks.
      client.send('not json');
      client.send({ test: '123' });
      client.send({ type: 'unknown', data: { session: ada } });
      client.send({ type: 'authentication', data: [] });
      client.send({ type: 'authentication', data: { session: 'invalid_session' } });
      client.send({ type: 'authentication', data: { session: ada } });
      const frames = (await client.received(7)).slice(1);
      expect(frames.slice(0, 5)).toEqual([
        { type: 'error', data: { code: 1003, message: 'Message format is not valid.' } },
        { type: 'error', data: { code: 1003, message: 'Message format is not valid.' } },
        { type: 'error', data: { code: 1003, message: 'Message type is not valid.' } },
        { type: 'error', data: { code: 1003, message: 'Payload is not valid.' } },
        { type: 'error', data: { code: 1003, message: 'Session is not valid.' } },
      ]);
      expect(frames[5]).toMatchObject({ type: 'response', data: { to: 'authentication', success: true, user: { $id: 'ada', name: 'Ada' } } });
      // Now Ada's: her account events arrive.
      await users.updatePrefs('ada', { theme: 'dark' });
      const event = await client.next();
      expect(event.data).toMatchObject({ channels: ['account', 'account.ada'], payload: { theme: 'dark' } });
      expect(event.data.events).toEqual(['users.ada.update', 'users.*.update', 'users.ada.update.prefs', 'users.*.update.prefs', 'users.ada', 'users.*']);
    });

    it('answers an upgrade to any other path with 404', async () => {
      await expect(connectRealtime(server.endpoint.replace(/\/v1$/, '/v1/other'), { project: PROJECT, channels: ['documents'] })).rejects.toThrow(/404/);
    });
  });

  describe('events of the state', () => {
    it('sends a document created, updated and deleted to its subscribers, in order, with every event name, its channels and the REST answer as payload', async () => {
      const client = await connect(server.endpoint, { project: PROJECT, channels: ['databases.db.collections.notes.documents'] });
      await client.next();
      const created = await server.call('POST', '/databases/db/collections/notes/documents', { body: { documentId: 'n1', data: { title: 'first' } } });
      const updated = await server.call('PATCH', '/databases/db/collections/notes/documents/n1', { body: { data: { title: 'second' } } });
      const deleted = await server.call('DELETE', '/databases/db/collections/notes/documents/n1');
      expect(deleted.status).toBe(204);
      const answers = [await created.json(), await updated.json()];
      const frames = (await client.received(4)).slice(1);
      const channels = ['documents', 'databases.db.collections.notes.documents', 'databases.db.collections.notes.documents.n1'];
      expect(frames.map((f) => f.type)).toEqual(['event', 'event', 'event']);
      expect(frames.map((f) => f.data.events)).toEqual([
        documentEvents('db', 'notes', 'n1', 'create'),
        documentEvents('db', 'notes', 'n1', 'update'),
        documentEvents('db', 'notes', 'n1', 'delete'),
      ]);
      expect(frames.map((f) => f.data.channels)).toEqual([channels, channels, channels]);
      // The delete's payload is the document as it was (databases.php:3659).
      expect(frames.map((f) => f.data.payload)).toEqual([answers[0], answers[1], answers[1]]);
      for (const frame of frames) expect(frame.data.timestamp).toMatch(TIMESTAMP);
      expect(Object.keys(frames[0]?.data ?? {})).toEqual(['events', 'channels', 'timestamp', 'payload']);
    });

    it('sends a file created, updated and deleted to its subscribers, in order', async () => {
      await server.call('POST', '/storage/buckets', { body: { bucketId: 'pics', name: 'Pics', permissions: ['read("any")'] } });
      const client = await connect(server.endpoint, { project: PROJECT, channels: ['files'] });
      await client.next();
      const form = new FormData();
      form.set('fileId', 'p1');
      form.set('file', new Blob(['hello']), 'hello.txt');
      const created = await fetch(`${server.endpoint}/storage/buckets/pics/files`, {
        method: 'POST',
        headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': 'test-key' },
        body: form,
      });
      expect(created.status).toBe(201);
      const updated = await server.call('PUT', '/storage/buckets/pics/files/p1', { body: { name: 'renamed.txt' } });
      expect((await server.call('DELETE', '/storage/buckets/pics/files/p1')).status).toBe(204);
      const answers = [await created.json(), await updated.json()];
      const frames = (await client.received(4)).slice(1);
      expect(frames.map((f) => f.data.events)).toEqual([
        fileEvents('pics', 'p1', 'create'),
        fileEvents('pics', 'p1', 'update'),
        fileEvents('pics', 'p1', 'delete'),
      ]);
      const channels = ['files', 'buckets.pics.files', 'buckets.pics.files.p1'];
      expect(frames.map((f) => f.data.channels)).toEqual([channels, channels, channels]);
      expect(frames.map((f) => f.data.payload)).toEqual([answers[0], answers[1], answers[1]]);
    });

    it('does not send a user the events of documents it may not read', async () => {
      const asAda = await connect(server.endpoint, { project: PROJECT, channels: ['documents'] }, { 'x-appwrite-session': ada });
      const asBob = await connect(server.endpoint, { project: PROJECT, channels: ['documents'] }, { 'x-appwrite-session': bob });
      const asGuest = await connect(server.endpoint, { project: PROJECT, channels: ['documents'] });
      await Promise.all([asAda.next(), asBob.next(), asGuest.next()]);
      // "private" has no read permission of its own and document security: each document's readers only.
      await databases.createDocument('db', 'private', 'for-ada', { title: 'a' }, [Permission.read(Role.user('ada'))]);
      await databases.createDocument('db', 'private', 'for-bob', { title: 'b' }, [Permission.read(Role.user('bob'))]);
      await databases.createDocument('db', 'private', 'for-users', { title: 'u' }, [Permission.read(Role.users())]);
      await databases.createDocument('db', 'private', 'for-all', { title: 'x' }, [Permission.read(Role.any())]);
      const ids = async (client: RealtimeClient, count: number): Promise<unknown[]> =>
        (await client.received(count + 1)).slice(1).map((f) => (f.data.payload as { $id: string }).$id);
      // Events arrive in order: once the last one is in, nothing earlier is still on its way.
      expect(await ids(asAda, 3)).toEqual(['for-ada', 'for-users', 'for-all']);
      expect(await ids(asBob, 3)).toEqual(['for-bob', 'for-users', 'for-all']);
      expect(await ids(asGuest, 1)).toEqual(['for-all']);
    });

    it('sends account events only to the connections of that user', async () => {
      const asAda = await connect(server.endpoint, { project: PROJECT, channels: ['account'] }, { 'x-appwrite-session': ada });
      const asBob = await connect(server.endpoint, { project: PROJECT, channels: ['account'] }, { 'x-appwrite-session': bob });
      const asGuest = await connect(server.endpoint, { project: PROJECT, channels: ['account'] });
      await Promise.all([asAda.next(), asBob.next(), asGuest.next()]);
      const renamed = account(
        await (await server.call('PATCH', '/account/name', { headers: { 'x-appwrite-key': '', 'x-appwrite-session': ada }, body: { name: 'Ada L.' } })).json(),
      );
      await users.updateName('bob', 'Bob B.');
      const adaEvent = await asAda.next();
      // RealtimeCustomClientTest.php:283-288.
      expect(adaEvent.data).toEqual({
        events: ['users.ada.update', 'users.*.update', 'users.ada.update.name', 'users.*.update.name', 'users.ada', 'users.*'],
        channels: ['account', 'account.ada'],
        timestamp: expect.stringMatching(TIMESTAMP),
        payload: renamed,
      });
      expect(Object.keys(adaEvent.data.payload as object)).not.toContain('hash');
      const bobEvent = await asBob.next();
      expect(bobEvent.data.channels).toEqual(['account', 'account.bob']);
      expect((bobEvent.data.payload as { name: string }).name).toBe('Bob B.');
      // Bob's own event came after Ada's: had Ada's reached him, it would be first.
      expect(asBob.frames).toHaveLength(2);
      expect(asAda.frames).toHaveLength(2);
      // A guest has no account: nothing, although a guest's own channel list holds `account`.
      await users.updateName('ada', 'Ada');
      await asAda.next();
      expect(asGuest.frames).toHaveLength(1);
    });

    it('sends a new session of a user to that user with no secret in it', async () => {
      const asAda = await connect(server.endpoint, { project: PROJECT, channels: ['account'] }, { 'x-appwrite-session': ada });
      await asAda.next();
      const created = await users.createSession('ada');
      expect(created.secret).not.toBe('');
      const event = await asAda.next();
      expect(event.data.events).toContain(`users.ada.sessions.${created.$id}.create`);
      expect((event.data.payload as { $id: string; secret: string }).secret).toBe('');
      expect((event.data.payload as { $id: string }).$id).toBe(created.$id);
    });

    it('sends an execution only to the user who created it', async () => {
      await server.call('POST', '/functions', { body: { functionId: 'fn', name: 'Fn', runtime: 'node-18.0', execute: ['any'] } });
      const asAda = await connect(server.endpoint, { project: PROJECT, channels: ['executions', 'functions.fn'] }, { 'x-appwrite-session': ada });
      const asBob = await connect(server.endpoint, { project: PROJECT, channels: ['executions', 'functions.fn'] }, { 'x-appwrite-session': bob });
      await Promise.all([asAda.next(), asBob.next()]);
      // A key's execution has no reader (functions.php:1621): nobody gets it.
      expect((await server.call('POST', '/functions/fn/executions', { body: {} })).status).toBe(201);
      const execution = (await (
        await server.call('POST', '/functions/fn/executions', { headers: { 'x-appwrite-key': '', 'x-appwrite-session': ada }, body: {} })
      ).json()) as { $id: string };
      const event = await asAda.next();
      expect(event.data.channels).toEqual(['console', 'executions', `executions.${execution.$id}`, 'functions.fn']);
      expect(event.data.events).toEqual([
        `functions.fn.executions.${execution.$id}.create`,
        'functions.*.executions.*.create',
        'functions.fn.executions.*.create',
        `functions.*.executions.${execution.$id}.create`,
        `functions.fn.executions.${execution.$id}`,
        'functions.*.executions.*',
        'functions.fn.executions.*',
        `functions.*.executions.${execution.$id}`,
        'functions.fn',
        'functions.*',
      ]);
      expect(event.data.payload).toEqual(execution);
      expect(asAda.frames).toHaveLength(2);
      // Bob's own execution is the first event Bob receives: neither the key's nor Ada's reached him.
      const own = (await (
        await server.call('POST', '/functions/fn/executions', { headers: { 'x-appwrite-key': '', 'x-appwrite-session': bob }, body: {} })
      ).json()) as { $id: string };
      expect(((await asBob.next()).data.payload as { $id: string }).$id).toBe(own.$id);
      expect(asBob.frames).toHaveLength(2);
    });

    it('lets the creator of a team receive its creation, and its members the team events', async () => {
      const teams = new Teams(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(ada));
      const asAda = await connect(server.endpoint, { project: PROJECT, channels: ['teams'] }, { 'x-appwrite-session': ada });
      const asBob = await connect(server.endpoint, { project: PROJECT, channels: ['teams'] }, { 'x-appwrite-session': bob });
      await Promise.all([asAda.next(), asBob.next()]);
      const team = await teams.create('crew', 'Crew');
      const event = await asAda.next();
      // RealtimeCustomClientTest.php:1394-1446: the creator's open connection learns of its new team.
      expect(event.data).toMatchObject({ events: ['teams.crew.create', 'teams.*.create', 'teams.crew', 'teams.*'], channels: ['teams', 'teams.crew'] });
      expect((event.data.payload as { $id: string }).$id).toBe(team.$id);
      await new Teams(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setKey('test-key')).updateName('crew', 'Crew 2');
      expect((await asAda.next()).data.events).toContain('teams.crew.update');
      expect(asBob.frames).toHaveLength(1);
    });
  });

  it('keeps connections open across a reset, and closed ones are let go', async () => {
    const kept = await connect(server.endpoint, { project: PROJECT, channels: ['documents'] });
    const leaving = await connect(server.endpoint, { project: PROJECT, channels: ['documents'] });
    await Promise.all([kept.next(), leaving.next()]);
    const before = server.realtimeConnections();
    await leaving.close();
    while (server.realtimeConnections() !== before - 1) await new Promise((resolve) => setImmediate(resolve));
    expect((await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin': '1' } })).status).toBe(204);
    await databases.create('db', 'db');
    await databases.createCollection('db', 'notes', 'Notes', [Permission.read(Role.any())]);
    await databases.createStringAttribute('db', 'notes', 'title', 100, false);
    await databases.createDocument('db', 'notes', 'after-reset', { title: 'x' });
    const frame: Frame = await kept.next();
    expect((frame.data.payload as { $id: string }).$id).toBe('after-reset');
    expect(kept.socket.readyState).toBe(kept.socket.OPEN);
  });
});
