import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account, Client, Databases, Query, Users } from 'node-appwrite-13';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import { startRecorder, startServer } from '../src/index.js';
import type { VerifyReport } from '../src/verify/verify-report.js';
import { runCli } from './support/cli.js';

const KEY = 'standard_0123456789abcdef0123456789abcdef';

/**
 * A flow whose IDs the server makes (`unique()` sent as is), with a session handed to a key and
 * then used by an account client: what verify has to pair and stand in for.
 */
async function recordFlow(endpoint: string): Promise<string[]> {
  const admin = new Client().setEndpoint(endpoint).setProject('verify-test').setKey(KEY);
  const users = new Users(admin);
  const databases = new Databases(admin);
  const user = await users.create('unique()', 'ada@example.com', undefined, 'password-123456', 'Ada');
  await users.get(user.$id);
  await users.updateName(user.$id, 'Ada L.');
  const db = await databases.create('unique()', 'Notes');
  const collection = await databases.createCollection(db.$id, 'unique()', 'notes');
  await databases.createStringAttribute(db.$id, collection.$id, 'title', 64, true);
  const doc = await databases.createDocument(db.$id, collection.$id, 'unique()', { title: 'first' });
  await databases.createDocument(db.$id, collection.$id, 'unique()', { title: 'second' });
  await databases.listDocuments(db.$id, collection.$id, [Query.equal('title', 'second')]);
  await databases.getDocument(db.$id, collection.$id, doc.$id);
  const session = await users.createSession(user.$id);
  const account = new Account(new Client().setEndpoint(endpoint).setProject('verify-test').setSession(session.secret));
  await account.get();
  await account.updatePrefs({ theme: 'dark' });
  await account.getPrefs();
  await users.get('no-such-user').catch(() => undefined);
  await users.delete(user.$id);
  return [user.$id, db.$id, collection.$id, doc.$id, session.$id];
}

describe('verify: recorded requests sent again to a fresh stateful model', () => {
  let dir: string;
  let serverIds: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-verify-'));
    // The upstream is a replay server on its stateful model, so the recording is what the model answers.
    const upstream = await startServer({ port: 0, cassettes: join(dir, 'upstream-empty') });
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes: join(dir, 'cassettes'), cassette: 'flow' });
    try {
      serverIds = await recordFlow(recorder.endpoint);
    } finally {
      await recorder.close();
      await upstream.close();
    }
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports every exchange equal when the model answers as recorded, pairing the IDs the server made and standing in for the redacted session', async () => {
    const text = await readFile(join(dir, 'cassettes', 'flow.json'), 'utf8');
    // The recording keeps the server's IDs and no session secret: verify must pair the one and replace the other.
    for (const id of serverIds) expect(text).toContain(id);
    expect(text).toContain('"x-appwrite-session": "[redacted]"');
    const run = runCli(['verify', '--cassettes', join(dir, 'cassettes'), '--format', 'json']);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(run.stdout()) as VerifyReport;
    // The user, its email target, the database, collection, two documents and the session: seven IDs the server made, made anew.
    expect(report.summary).toEqual({ files: 1, exchanges: 16, equal: 16, differing: 0, explained: 0, notReplayable: 0, pairedIds: 7 });
    expect(report.operations.find((op) => op.operationId === 'accountGetPrefs')).toMatchObject({ exchanges: 1, equal: 1 });
    expect(report.operations.find((op) => op.operationId === 'usersGet')).toMatchObject({ exchanges: 2, equal: 2 });
  });

  it('names the status, the error type and each field path that differs from the recording, and exits 1', async () => {
    const file = join(dir, 'cassettes', 'flow.json');
    const cassette = parseCassette(await readFile(file, 'utf8'), 'flow.json');
    const edit = (operationId: string, change: (i: (typeof cassette.interactions)[number]) => void): void => {
      const interaction = cassette.interactions.find((i) => i.operationId === operationId);
      if (!interaction) throw new Error(`no ${operationId} in the recording`);
      change(interaction);
    };
    edit('usersUpdateName', (i) => {
      if (i.response.body?.kind === 'json') (i.response.body.value as Record<string, unknown>).name = 'Ada Lovelace';
    });
    edit('accountGetPrefs', (i) => {
      if (i.response.body?.kind === 'json') i.response.body.value = { theme: 'dark', lang: 'en' };
    });
    edit('usersDelete', (i) => {
      i.response = {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { kind: 'json', value: { message: 'User with the requested ID could not be found.', code: 404, type: 'user_not_found', version: '1.5.0' } },
      };
    });
    await writeFile(join(dir, 'edited.json'), JSON.stringify(cassette));
    await mkdtempCopy(join(dir, 'edited.json'), join(dir, 'edited'));
    const run = runCli(['verify', '--cassettes', join(dir, 'edited')]);
    expect(await run.exited).toBe(1);
    const out = run.stdout();
    expect(out).toContain('13 equal, 3 differ, 0 explained by the recorded server, 0 not replayable');
    expect(out).toContain('$.name: "Ada L.", recorded "Ada Lovelace"');
    expect(out).toContain('$.lang: missing, recorded "en"');
    expect(out).toContain('status 204, recorded 404');
    expect(out).toMatch(/DIFFER usersUpdateName: 0\/1 equal/);
    expect(out).toMatch(/equal {2}usersCreate: 1\/1 equal/);
  });

  it('stands in the session of the sign-in with credentials for the redacted one, not a newer anonymous session of another client', async () => {
    const upstream = await startServer({ port: 0, cassettes: join(dir, 'upstream-sessions') });
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes: join(dir, 'sessions'), cassette: 'two-clients' });
    try {
      const guest = () => new Client().setEndpoint(recorder.endpoint).setProject('verify-test');
      await new Account(guest()).create('bea', 'bea@example.com', 'password-123456', 'Bea');
      // A key signs Bea in (the secret is handed to it), as a server-side app does for its browser client.
      const admin = new Client().setEndpoint(recorder.endpoint).setProject('verify-test').setKey(KEY);
      const session = await new Account(admin).createEmailPasswordSession('bea@example.com', 'password-123456');
      // Another client of the program signs in anonymously; the app's client still holds Bea's session.
      await new Account(admin).createAnonymousSession();
      const app = new Account(new Client().setEndpoint(recorder.endpoint).setProject('verify-test').setSession(session.secret));
      expect((await app.get()).name).toBe('Bea');
      await app.updatePrefs({ seen: true });
    } finally {
      await recorder.close();
      await upstream.close();
    }
    const run = runCli(['verify', '--cassettes', join(dir, 'sessions'), '--format', 'json']);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(run.stdout()) as VerifyReport;
    expect(report.summary).toMatchObject({ exchanges: 5, equal: 5, differing: 0 });
    expect(report.operations.find((op) => op.operationId === 'accountGet')).toMatchObject({ equal: 1 });
  });

  it('refuses an unknown report format with exit 2 and the option named', async () => {
    const run = runCli(['verify', '--cassettes', join(dir, 'cassettes'), '--format', 'xml']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('Failed to use option "format": "xml" is not one of text, json');
  });
});

async function mkdtempCopy(from: string, folder: string): Promise<void> {
  const { mkdir, copyFile } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  await copyFile(from, join(folder, 'flow.json'));
}
