import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

describe("bad input gets Appwrite's own errors and the server keeps serving", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxBodyBytes: 64 * 1024, fallback: 'schema' });
  });
  afterAll(() => server.stop());

  async function expectError(res: Response, status: number, type: string, message?: string): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'type', 'version']);
    expect(body).toMatchObject({ code: status, type, version: '1.5.0' });
    if (message) expect(body.message).toBe(message);
    // Still serving.
    expect((await server.call('GET', '/health')).status).toBe(200);
  }

  it('refuses an unparsable JSON body the way Appwrite does: the first required parameter is missing', async () => {
    await expectError(await server.call('POST', '/users', { body: '{"userId": "ada",' }), 400, 'general_argument_invalid', 'Param "userId" is not optional.');
  });

  it('refuses a missing required parameter, naming it', async () => {
    await expectError(
      await server.call('POST', '/databases', { body: { name: 'Library' } }),
      400,
      'general_argument_invalid',
      'Param "databaseId" is not optional.',
    );
  });

  it('refuses a parameter of the wrong type, naming it', async () => {
    await expectError(
      await server.call('PATCH', '/users/ada/status', { body: { status: 'maybe' } }),
      400,
      'general_argument_invalid',
      'Invalid `status` param: Value must be a valid boolean',
    );
  });

  it('refuses a query parameter of the wrong type', async () => {
    await expectError(
      await server.call('GET', '/avatars/initials?width=wide'),
      400,
      'general_argument_invalid',
      'Invalid `width` param: Value must be a valid integer',
    );
  });

  it("refuses an ID that breaks Appwrite's ID rule", async () => {
    await expectError(
      await server.call('POST', '/users', { body: { userId: '_bad id!' } }),
      400,
      'general_argument_invalid',
      "Invalid `userId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    );
  });

  it('refuses a request with no credential for an operation that needs one', async () => {
    const res = await fetch(`${server.endpoint}/users`, { headers: { 'x-appwrite-project': 'p' } });
    await expectError(res, 401, 'general_unauthorized_scope', 'User (role: guests) missing scope (users.read)');
  });

  it('accepts any one credential the operation lists, not all of them at once', async () => {
    const res = await fetch(`${server.endpoint}/databases/db/collections/c/documents`, { headers: { 'x-appwrite-project': 'p', 'x-appwrite-session': 's' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vcr-source')).toBe('fallback');
    expect(await res.json()).toMatchObject({ total: 1, documents: [{ $collectionId: 'c', $databaseId: 'db' }] });
  });

  it('accepts the `{}` body the SDK sends on a DELETE whose spec declares no body', async () => {
    const res = await server.call('DELETE', '/users/ada', { body: {} });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-vcr-violations')).toBeNull();
  });

  it('answers an unknown route with 404 general_route_not_found', async () => {
    await expectError(await server.call('GET', '/v2/nothing'), 404, 'general_route_not_found');
    await expectError(await server.call('PUT', '/health'), 404, 'general_route_not_found');
  });

  it('refuses a body over the limit with 413 before reading it all', async () => {
    const res = await server.call('POST', '/users', { body: { userId: 'x', name: 'a'.repeat(100 * 1024) } });
    await expectError(res, 413, 'general_argument_invalid');
  });

  it('refuses a multipart body with a broken boundary', async () => {
    const res = await server.call('POST', '/storage/buckets/b/files', { body: '--nope\r\ngarbage', headers: { 'content-type': 'multipart/form-data' } });
    await expectError(res, 400, 'general_argument_invalid');
  });

  it("answers bytes that are not HTTP at all with a 400 in Appwrite's shape and closes the connection", async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
      socket.on('error', reject);
    });
    expect(reply.startsWith('HTTP/1.1 400')).toBe(true);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 400, type: 'general_bad_request' });
    expect((await server.call('GET', '/health')).status).toBe(200);
  });
});
