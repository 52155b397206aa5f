import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRealtime } from './support/realtime-client.js';
import { startTestServer, type TestServer } from './support/server.js';

/** The upgrade's origin, checked as app/realtime.php:447-452 at 1.5.0 does with the project's platforms (here `--origins`). */
describe('realtime with --origins', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ origins: ['app.example.com', 'http://localhost:5173'] });
  });
  afterAll(() => server.stop());

  it('refuses an upgrade from an origin outside --origins with an error frame, then closes with 1008', async () => {
    const client = await connectRealtime(server.endpoint, { project: 'p1', channels: ['documents'] }, { origin: 'https://evil.example' });
    expect(await client.next()).toEqual({
      type: 'error',
      data: { code: 1008, message: 'Invalid Origin. Register your new client (evil.example) as a new Web platform on your project console dashboard' },
    });
    expect((await client.closed).code).toBe(1008);
  });

  it('connects an upgrade from a listed origin or host, and one with no origin (not a web app)', async () => {
    const upgrades: Record<string, string>[] = [{ origin: 'http://localhost:5173' }, { origin: 'https://app.example.com' }, {}];
    for (const headers of upgrades) {
      const client = await connectRealtime(server.endpoint, { project: 'p1', channels: ['documents'] }, headers);
      expect(await client.next()).toEqual({ type: 'connected', data: { channels: ['documents'], user: null } });
      await client.close();
    }
  });
});
