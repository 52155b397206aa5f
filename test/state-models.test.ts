import { Client, Databases, Functions, Storage } from 'node-appwrite-13';
import { InputFile } from 'node-appwrite-13/file';
import { solidPng } from '../src/fallback/png.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

/** Fields of the state's models that follow what a real 1.5.0 answers rather than the spec's examples. */
describe('stateful fallback: models as a real 1.5.0 answers them', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startTestServer({ strict: true });
    client = new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key');
  });
  afterAll(() => server.stop());

  it('creates functions on the v3 executor protocol (functions.php:221)', async () => {
    const fn = await new Functions(client).create('fn-version', 'Hello', 'node-18.0' as never);
    expect(fn.version).toBe('v3');
  });

  it('keeps a function live while what its build depends on is unchanged; a new runtime or a variable leaves it not live until an activated build (functions.php:784-794, 1967; Workers/Builds.php:490-495)', async () => {
    const functions = new Functions(client);
    const unset = undefined;
    await functions.create('fn-live', 'Live', 'node-18.0' as never, unset, unset, unset, unset, unset, unset, 'index.js');
    expect((await functions.update('fn-live', 'Live', 'node-18.0' as never, unset, unset, unset, 30, unset, unset, 'index.js')).live).toBe(true);
    expect((await functions.update('fn-live', 'Live', 'python-3.9' as never, unset, unset, unset, unset, unset, unset, 'index.js')).live).toBe(false);
    await functions.createDeployment('fn-live', InputFile.fromBuffer(Buffer.from('code'), 'code.tar.gz'), true);
    expect((await functions.get('fn-live')).live).toBe(true);
    await functions.createVariable('fn-live', 'GREETING', 'hello');
    expect((await functions.get('fn-live')).live).toBe(false);
  });

  it('gives back the code of a deployment as it was uploaded, as application/gzip (functions.php:840-915)', async () => {
    const functions = new Functions(client);
    await functions.create('fn-code', 'Code', 'node-18.0' as never);
    const code = Buffer.from('1f8b08000000000000034b4c4a0600c241243503000000', 'hex');
    const deployment = await functions.createDeployment('fn-code', InputFile.fromBuffer(code, 'code.tar.gz'), true);
    const download = await fetch(`${server.endpoint}/functions/fn-code/deployments/${deployment.$id}/download`, {
      headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'test-key' },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(Buffer.from(await download.arrayBuffer()).equals(code)).toBe(true);
    const missing = await fetch(`${server.endpoint}/functions/fn-code/deployments/nope/download`, {
      headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'test-key' },
    });
    expect(await missing.json()).toMatchObject({ code: 404, type: 'deployment_not_found' });
  });

  it('leaves a relationship the write did not set out of the create and update answers, and reads it as null (recorded 1.5.0 traffic)', async () => {
    const databases = new Databases(client);
    await databases.create('rel-db', 'Relations');
    await databases.createCollection('rel-db', 'posts', 'Posts');
    await databases.createCollection('rel-db', 'people', 'People');
    await databases.createStringAttribute('rel-db', 'posts', 'title', 64, true);
    await databases.createRelationshipAttribute('rel-db', 'posts', 'people', 'manyToOne' as never, true, 'author', 'posts', 'setNull' as never);
    const created = await databases.createDocument('rel-db', 'posts', 'p1', { title: 'Hello' });
    expect(created).not.toHaveProperty('author');
    expect(await databases.updateDocument('rel-db', 'posts', 'p1', { title: 'Hello again' })).not.toHaveProperty('author');
    expect((await databases.getDocument('rel-db', 'posts', 'p1')).author).toBeNull();
    expect((await databases.listDocuments('rel-db', 'posts')).documents[0]!.author).toBeNull();
  });

  it("answers a datetime attribute with format '' and refuses a bad datetime value as a bad type, not a bad format", async () => {
    // databases.php:1558-1568 stores a datetime attribute without a format; utopia-php/database's Structure then
    // says "invalid type" (its label is "format" only for attributes that have one).
    const databases = new Databases(client);
    await databases.create('dt-db', 'Dates');
    await databases.createCollection('dt-db', 'events', 'Events');
    const attribute = await databases.createDatetimeAttribute('dt-db', 'events', 'when', false);
    expect(attribute).toMatchObject({ key: 'when', type: 'datetime', format: '' });
    const res = await server.call('POST', '/databases/dt-db/collections/events/documents', { body: { documentId: 'e1', data: { when: 'not a date' } } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Invalid document structure: Attribute "when" has invalid type\. /);
  });

  it("takes a file's type from its bytes, not from what the client declared (storage.php:537 getFileMimeType)", async () => {
    const storage = new Storage(client);
    await storage.createBucket('mime-bucket', 'Mime');
    const upload = async (id: string, bytes: Buffer, name: string): Promise<string> =>
      (await storage.createFile('mime-bucket', id, InputFile.fromBuffer(bytes, name))).mimeType;
    expect(await upload('text', Buffer.from('hello\nworld\n'), 'notes.bin')).toBe('text/plain');
    expect(await upload('json', Buffer.from('{"a":[1,2]}'), 'data.txt')).toBe('application/json');
    expect(await upload('png', solidPng(2, 2, [255, 0, 0]), 'picture.txt')).toBe('image/png');
    expect(await upload('binary', Buffer.from([0, 1, 2, 3, 255, 254]), 'blob.txt')).toBe('application/octet-stream');
    expect((await storage.getFile('mime-bucket', 'text')).mimeType).toBe('text/plain');
  });
});
