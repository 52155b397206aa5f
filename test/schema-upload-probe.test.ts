import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../src/server/http-server.js';
import { SDKS, type Sdk } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

/**
 * node-appwrite 12.0.1 asks for the file before uploading it with a chosen ID and skips the chunks the answer says
 * are uploaded (lib/services/storage.js, createFile); 13.0.0 does not ask. With the schema fallback the upload must
 * still reach the server, small or chunked: the probe is answered as Appwrite answers a new ID, 404.
 */
describe.each(SDKS)('%s uploads through the schema fallback', (name, load) => {
  let server: TestServer;
  let sdk: Sdk;
  let exchanges: string[];

  beforeEach(async () => {
    exchanges = [];
    sdk = await load();
    server = await startTestServer({
      fallback: 'schema',
      onExchange: (event: ExchangeEvent) => exchanges.push(`${event.method} ${event.url.split('?')[0] ?? ''} ${event.result.response.status}`),
    });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('sends a small file in one request after the probe, if any, is answered 404', async () => {
    const storage = new sdk.Storage(new sdk.Client().setEndpoint(server.endpoint).setProject('probe').setKey('probe-key'));
    const file = await storage.createFile('bucket', 'small', sdk.InputFile.fromBuffer(Buffer.from('hello'), 'hello.txt'));
    // The schema fallback echoes the IDs of the request into the spec's example file.
    expect(file).toMatchObject({ $id: 'small', bucketId: 'bucket', name: 'Pink.png' });
    const uploads = exchanges.filter((e) => e.startsWith('POST /v1/storage/buckets/bucket/files '));
    expect(uploads).toEqual(['POST /v1/storage/buckets/bucket/files 201']);
    const probes = exchanges.filter((e) => e.startsWith('GET /v1/storage/buckets/bucket/files/small '));
    expect(probes).toEqual(name.includes('12.') ? ['GET /v1/storage/buckets/bucket/files/small 404'] : []);
  });

  it('sends every chunk of a file above the 5 MiB chunk size', async () => {
    const storage = new sdk.Storage(new sdk.Client().setEndpoint(server.endpoint).setProject('probe').setKey('probe-key'));
    await storage.createFile('bucket', 'big', sdk.InputFile.fromBuffer(Buffer.alloc(5 * 1024 * 1024 + 10, 7), 'big.bin'));
    expect(exchanges.filter((e) => e.startsWith('POST /v1/storage/buckets/bucket/files '))).toHaveLength(2);
  });

  it('answers a GET of a file without the upload’s content type from the schema as before', async () => {
    const res = await server.call('GET', '/storage/buckets/bucket/files/small');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ $id: 'small', bucketId: 'bucket', mimeType: 'image/png', chunksTotal: 17890, chunksUploaded: 17890 });
  });
});
