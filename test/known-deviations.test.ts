import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Health } from 'node-appwrite-13';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintCassettes, type Interaction } from '../src/index.js';
import { jsonInteraction, writeCassette } from './support/cassette.js';
import { startTestServer, type TestServer } from './support/server.js';

const KEY = { 'x-appwrite-project': 'p1', 'x-appwrite-key': '[redacted]', 'content-type': 'application/json' };
const DATE = '2026-01-01T00:00:00.000+00:00';

function exchange(id: string, operationId: string, method: string, path: string, status: number, value: unknown, body: unknown = null): Interaction {
  const interaction = jsonInteraction(id, method, path, status, value, { headers: KEY, body: body === null ? null : { kind: 'json', value: body } });
  interaction.operationId = operationId;
  return interaction;
}

/** Answers of a real Appwrite 1.5.0 where it departs from its own spec (see the reasons in src/validate/known-deviations.ts). */
const REAL_SERVER_ANSWERS: Interaction[] = [
  // account.php:4028 `dynamic()` without a status code: 200, though the spec says 201.
  exchange(
    'a',
    'accountCreateMfaChallenge',
    'POST',
    '/v1/account/mfa/challenge',
    200,
    { $id: 'c1', $createdAt: DATE, userId: 'u1', expire: DATE },
    { factor: 'totp' },
  ),
  // health.php:110 MODEL_HEALTH_STATUS_LIST.
  exchange('b', 'healthGetDB', 'GET', '/v1/health/db', 200, { statuses: [{ name: 'Console.DB (console)', ping: 0, status: 'pass' }], total: 1 }),
  exchange(
    'c',
    'messagingCreateFcmProvider',
    'POST',
    '/v1/messaging/providers/fcm',
    201,
    { $id: 'fcm1', $createdAt: DATE, $updatedAt: DATE, name: 'FCM', provider: 'fcm', enabled: false, type: 'push', credentials: {}, options: [] },
    { providerId: 'fcm1', name: 'FCM' },
  ),
  exchange('d', 'databasesGetDocument', 'GET', '/v1/databases/db1/collections/c1/documents/d1', 200, {
    $collectionId: 'c1',
    $databaseId: 'db1',
    title: 'only the selected field',
  }),
];
REAL_SERVER_ANSWERS.push({
  ...exchange('e', 'accountDeleteMfaAuthenticator', 'DELETE', '/v1/account/mfa/authenticators/totp', 204, null, { otp: '123456' }),
  response: { status: 204, headers: {}, body: null },
});

describe("Appwrite's own known deviations from its spec", () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-deviations-'));
    server = await startTestServer({ strict: true });
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lints answers a real 1.5.0 gives against its spec clean, listing each deviation apart with its reason', async () => {
    await writeCassette(join(dir, 'real'), 'real', REAL_SERVER_ANSWERS);
    const report = await lintCassettes({ cassettes: join(dir, 'real') });
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, failed: false });
    expect(report.knownDeviations.map((d) => [d.operationId, d.id, d.count])).toEqual([
      ['accountCreateMfaChallenge', 'status-200-for-201', 1],
      ['accountDeleteMfaAuthenticator', 'status-204-for-200', 1],
      ['databasesGetDocument', 'select-omits-system-fields', 1],
      ['healthGetDB', 'health-status-list', 1],
      ['messagingCreateFcmProvider', 'provider-options-empty-array', 1],
    ]);
    expect(report.knownDeviations[0]?.reason).toContain('app/controllers/api/account.php');
    expect(report.knownDeviations[0]?.example).toEqual({ file: 'real.json', index: 0, id: 'a' });
  });

  it('still reports what else is wrong with such an answer, and a shape no Appwrite sends', async () => {
    await writeCassette(join(dir, 'wrong'), 'wrong', [
      exchange('f', 'healthGetDB', 'GET', '/v1/health/db', 200, { statuses: [{ name: 'db', ping: 'fast', status: 'pass' }], total: 1 }),
      exchange(
        'g',
        'accountCreateMfaChallenge',
        'POST',
        '/v1/account/mfa/challenge',
        202,
        { $id: 'c1', $createdAt: DATE, userId: 'u1', expire: DATE },
        { factor: 'totp' },
      ),
      exchange(
        'h',
        'messagingCreateFcmProvider',
        'POST',
        '/v1/messaging/providers/fcm',
        201,
        { $id: 'fcm1', $createdAt: DATE, $updatedAt: DATE, name: 'FCM', provider: 'fcm', enabled: false, type: 'push', credentials: {}, options: ['x'] },
        { providerId: 'fcm1', name: 'FCM' },
      ),
    ]);
    const report = await lintCassettes({ cassettes: join(dir, 'wrong') });
    expect(report.knownDeviations).toEqual([]);
    const kinds = report.operations.filter((op) => op.findings.length > 0).map((op) => [op.operationId, op.findings.map((f) => `${f.kind} ${f.path}`)]);
    expect(kinds).toEqual([
      ['accountCreateMfaChallenge', ['status-undeclared ']],
      ['healthGetDB', expect.arrayContaining(['required-missing /name'])],
      ['messagingCreateFcmProvider', ['type-mismatch /options']],
    ]);
    expect(report.summary.failed).toBe(true);
  });

  it('answers health as a healthy 1.5.0 does, list shapes included, and strict replay lets them through', async () => {
    const health = new Health(new Client().setEndpoint(server.endpoint).setProject('p1').setKey('key'));
    expect(await health.get()).toEqual({ name: 'http', ping: 0, status: 'pass' });
    // health.php:85-110: one entry per pool, `name` "<key> (<database>)".
    expect(await health.getDB()).toEqual({
      statuses: [
        { name: 'Console.DB (console)', ping: 0, status: 'pass' },
        { name: 'Projects.DB (database_db_main)', ping: 0, status: 'pass' },
      ],
      total: 2,
    });
    expect(await health.getQueueWebhooks()).toEqual({ size: 0 });
    expect(await health.getAntivirus()).toEqual({ status: 'disabled', version: '' });
  });

  it('answers a queue check whose threshold is reached with 503 health_queue_size_exceeded (health.php:361: size >= threshold)', async () => {
    const res = await server.call('GET', '/health/queue/mails?threshold=0');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      message: 'Queue size threshold hit. Current size is 0 and threshold is 0.',
      code: 503,
      type: 'health_queue_size_exceeded',
      version: '1.5.0',
    });
  });
});
