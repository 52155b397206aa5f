import { Client, Databases } from 'node-appwrite-13';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

/** Parameters as Appwrite's router reads them (utopia-php/framework 0.33.2, App::getArguments and App::validate). */
describe('request parameters as Appwrite reads them', () => {
  let server: TestServer;
  let databases: Databases;
  beforeAll(async () => {
    server = await startTestServer();
    databases = new Databases(new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key'));
  });
  afterAll(() => server.stop());

  it('takes an explicit null for a required Nullable parameter: updateStringAttribute(required: true, default: null)', async () => {
    // tests/e2e/Services/Databases/DatabasesBase.php:551-561 at 1.5.0 sends `'default' => null` with `required => true`
    // and expects 200; app/controllers/api/databases.php:1873 declares `default` as `new Nullable(new Text(0, 0))`.
    await databases.create('params-null', 'Params');
    await databases.createCollection('params-null', 'notes', 'Notes');
    await databases.createStringAttribute('params-null', 'notes', 'title', 64, false, 'untitled');
    const updated = await databases.updateStringAttribute('params-null', 'notes', 'title', true, null as unknown as string);
    expect(updated).toMatchObject({ key: 'title', required: true, default: null });
  });

  it('refuses an explicit null for a required parameter whose validator is not Nullable, naming the parameter', async () => {
    const res = await server.call('POST', '/users', { body: { userId: null, email: 'null-id@example.com', password: 'password-123456' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; message: string; code: number };
    expect(body.type).toBe('general_argument_invalid');
    expect(body.code).toBe(400);
    expect(body.message).toMatch(/^Invalid `userId` param: /);
  });

  it('still refuses a required parameter that is missing, with "is not optional"', async () => {
    const res = await server.call('POST', '/users', { body: { email: 'no-id@example.com', password: 'password-123456' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'general_argument_invalid', message: 'Param "userId" is not optional.' });
  });

  it('reads a `[]` body (what the PHP SDK sends for a call without parameters) as no parameters', async () => {
    await server.call('POST', '/users', { body: { userId: 'php-delete', email: 'php-delete@example.com', password: 'password-123456' } });
    const res = await server.call('DELETE', '/users/php-delete', { body: '[]' });
    expect(res.status).toBe(204);
    expect((await server.call('GET', '/users/php-delete')).status).toBe(404);
  });

  it('refuses a non-empty JSON array body, which carries no named parameters', async () => {
    const res = await server.call('POST', '/users', { body: '["u1","a@example.com"]' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'general_argument_invalid', message: 'Invalid JSON body: the body must be a JSON object' });
  });
});
