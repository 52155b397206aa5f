import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

describe('replay with no cassette and the schema fallback', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ fallback: 'schema' });
  });
  afterAll(() => server.stop());

  it('answers a known route from the schema and echoes the path ID', async () => {
    const res = await server.call('GET', '/users/ada-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vcr-source')).toBe('fallback');
    expect(res.headers.get('x-vcr-violations')).toBeNull();
    const user = (await res.json()) as Record<string, unknown>;
    expect(user.$id).toBe('ada-1');
  });

  it('answers an unknown route with Appwrite\'s 404 error', async () => {
    const res = await server.call('GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      message: 'The requested route was not found. Please refer to the API docs and try again.',
      code: 404,
      type: 'general_route_not_found',
      version: '1.5.0',
    });
  });
});
