import { Client, Databases, Functions } from 'node-appwrite-13';
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
});
