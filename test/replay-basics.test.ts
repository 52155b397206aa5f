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

  it("answers an unknown route with Appwrite's 404 error", async () => {
    const res = await server.call('GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      message: 'The requested route was not found. Please refer to the API docs and try again.',
      code: 404,
      type: 'general_route_not_found',
      version: '1.5.0',
    });
  });

  it('gives the same bytes for the same request, so snapshots stay stable', async () => {
    const paths = ['/users/ada', '/databases/db/collections/c/documents', '/avatars/initials?name=Ada&width=64&height=64', '/locale/countries'];
    for (const path of paths) {
      const first = Buffer.from(await (await server.call('GET', path)).arrayBuffer());
      const second = Buffer.from(await (await server.call('GET', path)).arrayBuffer());
      expect(second.equals(first), path).toBe(true);
    }
    const a = await (await server.call('POST', '/users', { body: { userId: 'unique()', name: 'Ada' } })).json();
    const b = await (await server.call('POST', '/users', { body: { name: 'Ada', userId: 'unique()' } })).json();
    expect(a).toEqual(b);
    expect(a).toMatchObject({ $id: expect.stringMatching(/^[0-9a-f]{20}$/) as string, name: 'Ada' });
  });

  it('answers 201 on create and 204 with no body on delete', async () => {
    const created = await server.call('POST', '/databases', { body: { databaseId: 'library', name: 'Library' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ $id: 'library', name: 'Library' });
    const deleted = await server.call('DELETE', '/databases/library', { body: {} });
    expect(deleted.status).toBe(204);
    expect((await deleted.arrayBuffer()).byteLength).toBe(0);
  });

  it('redirects the OAuth2 token route to the success URL with a user ID and secret', async () => {
    const res = await server.call(
      'GET',
      `/account/tokens/oauth2/github?success=${encodeURIComponent('http://localhost:3000/done?x=1')}&failure=${encodeURIComponent('http://localhost:3000/fail')}`,
    );
    expect(res.status).toBe(301);
    const location = new URL(res.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3000/done');
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('userId')).toMatch(/^[0-9a-f]{20}$/);
    expect(location.searchParams.get('secret')).toMatch(/^[0-9a-f]{20}$/);
  });

  it('answers file downloads with bytes and an attachment disposition, views inline', async () => {
    const download = await server.call('GET', '/storage/buckets/photos/files/cat/download');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="cat"');
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(await download.text()).toBe('appwrite-vcr generated content for /storage/buckets/photos/files/cat/download\n');
    const view = await server.call('GET', '/storage/buckets/photos/files/cat/view');
    expect(view.headers.get('content-disposition')).toBe('inline; filename="cat.png"');
    expect(view.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await view.arrayBuffer())
        .subarray(0, 8)
        .toString('hex'),
    ).toBe('89504e470d0a1a0a');
  });

  it('draws avatars as PNGs of the asked size, 100x100 when none is asked', async () => {
    const sized = Buffer.from(await (await server.call('GET', '/avatars/flags/fr?width=120&height=80')).arrayBuffer());
    expect([sized.readUInt32BE(16), sized.readUInt32BE(20)]).toEqual([120, 80]);
    const plain = Buffer.from(await (await server.call('GET', '/avatars/browsers/ch')).arrayBuffer());
    expect([plain.readUInt32BE(16), plain.readUInt32BE(20)]).toEqual([100, 100]);
  });
});
