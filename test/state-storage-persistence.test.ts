import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, Databases, Storage } from 'node-appwrite-13';
import { InputFile } from 'node-appwrite-13/file';
import { startTestServer, type TestServer } from './support/server.js';

/** node-appwrite 12 ships typings that are not a module; the parts used here. */
interface Sdk12 {
  Client: new () => { setEndpoint(url: string): { setProject(id: string): { setKey(key: string): unknown } } };
  Storage: new (client: unknown) => { createFile(bucketId: string, fileId: string, file: unknown): Promise<Record<string, unknown>> };
  InputFile: { fromBuffer(bytes: Buffer, name: string): unknown };
}
const sdk12 = createRequire(import.meta.url)('node-appwrite-12') as Sdk12;

function storageOf(server: TestServer): Storage {
  return new Storage(new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key'));
}

describe('stateful fallback: storage through the official SDKs', () => {
  let server: TestServer;
  let storage: Storage;
  beforeAll(async () => {
    server = await startTestServer();
    storage = storageOf(server);
  });
  afterAll(() => server.stop());
  // Each test starts from the empty state, with the bucket it uploads to.
  beforeEach(async () => {
    await server.reset();
    await storage.createBucket('media', 'Media');
  });

  it('assembles a 12 MB chunked upload and gives back every byte; view and preview answer; a deleted file is 404', async () => {
    const bytes = randomBytes(12 * 1024 * 1024);
    const file = await storage.createFile('media', 'big', InputFile.fromBuffer(bytes, 'big.bin'), ['read("any")']);
    expect(file).toMatchObject({
      $id: 'big',
      bucketId: 'media',
      name: 'big.bin',
      sizeOriginal: bytes.length,
      chunksTotal: 3,
      chunksUploaded: 3,
      $permissions: ['read("any")'],
    });
    const downloaded = Buffer.from(await storage.getFileDownload('media', 'big'));
    expect(downloaded.length).toBe(bytes.length);
    expect(downloaded.equals(bytes)).toBe(true);
    expect(Buffer.from(await storage.getFileView('media', 'big')).equals(bytes)).toBe(true);
    expect(Buffer.from(await storage.getFilePreview('media', 'big')).length).toBe(bytes.length);
    await storage.deleteFile('media', 'big');
    expect(await storage.getFile('media', 'big').catch((e: unknown) => e)).toMatchObject({ code: 404, type: 'storage_file_not_found' });
  });

  it('takes the chunked upload of node-appwrite 12, which first asks for the file', async () => {
    const client = new sdk12.Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key');
    const bytes = randomBytes(6 * 1024 * 1024);
    const file = await new sdk12.Storage(client).createFile('media', 'twelve', sdk12.InputFile.fromBuffer(bytes, 'twelve.bin'));
    expect(file).toMatchObject({ $id: 'twelve', chunksTotal: 2, chunksUploaded: 2 });
    expect(Buffer.from(await storage.getFileDownload('media', 'twelve')).equals(bytes)).toBe(true);
  });

  it('deletes a bucket with its files and stays within the contract', async () => {
    await storage.createFile('media', 'twelve', InputFile.fromBuffer(randomBytes(1024), 'twelve.bin'));
    await storage.deleteBucket('media');
    expect(await storage.getFile('media', 'twelve').catch((e: unknown) => e)).toMatchObject({ code: 404, type: 'storage_bucket_not_found' });
    expect(server.summary().responseViolations).toBe(0);
  });
});

describe('stateful fallback: persistence and reset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-state-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads back after a restart with --state what the first run created', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startTestServer({ state: stateFile });
    const databases = new Databases(new Client().setEndpoint(first.endpoint).setProject('p').setKey('k'));
    await databases.create('keep', 'Kept');
    await databases.createCollection('keep', 'notes', 'Notes');
    await databases.createStringAttribute('keep', 'notes', 'text', 100, true);
    await databases.createDocument('keep', 'notes', 'n1', { text: 'remember me' });
    await storageOf(first).createBucket('files', 'Files');
    await storageOf(first).createFile('files', 'f1', InputFile.fromBuffer(Buffer.from('hello bytes'), 'hello.txt'));
    await first.stop();
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ format: 'appwrite-vcr-state', version: 1 });

    const second = await startTestServer({ state: stateFile });
    const again = new Databases(new Client().setEndpoint(second.endpoint).setProject('p').setKey('k'));
    expect(await again.getDocument('keep', 'notes', 'n1')).toMatchObject({ $id: 'n1', text: 'remember me' });
    expect(Buffer.from(await storageOf(second).getFileDownload('files', 'f1')).toString()).toBe('hello bytes');
    await second.stop();
  });

  it('keeps no secret in plain text in the state file, and a session still signs in after a restart', async () => {
    const stateFile = join(dir, 'secrets.json');
    const first = await startTestServer({ state: stateFile });
    const secrets = {
      password: 'Plain-Password-4242',
      bcrypt: '$2a$10$SeCrEtBcRyPtHaShVaLuE0123456789abcdefghijklmnopqrs',
      apiKey: 'SG.provider-secret-7373',
      variable: 'sk_live_function_secret_5151',
    };
    expect((await first.call('POST', '/users', { body: { userId: 'ada', email: 'ada@example.com', password: secrets.password, name: 'Ada' } })).status).toBe(
      201,
    );
    expect((await first.call('POST', '/users/bcrypt', { body: { userId: 'bob', email: 'bob@example.com', password: secrets.bcrypt } })).status).toBe(201);
    expect((await first.call('POST', '/messaging/providers/sendgrid', { body: { providerId: 'mail', name: 'Mail', apiKey: secrets.apiKey } })).status).toBe(
      201,
    );
    expect((await first.call('POST', '/functions', { body: { functionId: 'billing', name: 'Billing', runtime: 'node-18.0' } })).status).toBe(201);
    expect((await first.call('POST', '/functions/billing/variables', { body: { key: 'STRIPE_KEY', value: secrets.variable } })).status).toBe(201);
    const session = (await (await first.call('POST', '/users/ada/sessions')).json()) as { secret: string };
    expect(session.secret.length).toBeGreaterThan(16);
    await first.stop();

    const text = await readFile(stateFile, 'utf8');
    for (const secret of [...Object.values(secrets), session.secret]) expect(text.includes(secret), secret).toBe(false);

    const second = await startTestServer({ state: stateFile });
    const me = await fetch(`${second.endpoint}/account`, { headers: { 'x-appwrite-project': 'p', 'x-appwrite-session': session.secret } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ $id: 'ada' });
    await second.stop();
  });

  it('starts from a seed, and POST /__vcr/reset goes back to it', async () => {
    const seedFile = join(dir, 'seed.json');
    const maker = await startTestServer({ state: seedFile });
    await maker.call('POST', '/databases', { body: { databaseId: 'fixtures', name: 'Fixtures' } });
    await maker.stop();

    const server = await startTestServer({ seed: seedFile });
    await server.call('POST', '/databases', { body: { databaseId: 'scratch', name: 'Scratch' } });
    expect(((await (await server.call('GET', '/databases')).json()) as { total: number }).total).toBe(2);
    const reset = await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin': '1' } });
    expect(reset.status).toBe(204);
    const after = (await (await server.call('GET', '/databases')).json()) as { databases: { $id: string }[] };
    expect(after.databases.map((d) => d.$id)).toEqual(['fixtures']);
    await server.call('POST', '/databases', { body: { databaseId: 'scratch', name: 'Scratch' } });
    await server.reset();
    expect((await server.call('GET', '/databases/scratch')).status).toBe(404);
    expect((await fetch(`${server.url}/__vcr/reset`, { headers: { 'x-vcr-admin': '1' } })).status).toBe(405);
    await server.stop();
  });

  it('refuses an unknown fallback mode with the list of valid ones', async () => {
    await expect(startTestServer({ fallback: 'magic' as never })).rejects.toThrow('Failed to use option "fallback": "magic" is not one of stateful, schema');
  });
});
