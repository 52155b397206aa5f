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
    // users.php:89 at 1.5.0: userId is a CustomId, whose description App::validate gives for a null too.
    expect(await res.json()).toEqual({
      message:
        "Invalid `userId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
      code: 400,
      type: 'general_argument_invalid',
      version: '1.5.0',
    });
    const email = await server.call('POST', '/users', { body: { userId: 'null-email', email: null, password: 'password-123456' } });
    // users.php:192: email is optional, and App::validate skips an optional parameter that is null.
    expect(email.status).toBe(201);
    expect(await email.json()).toMatchObject({ $id: 'null-email', email: '' });
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

  it("reads query booleans and integers as text, as utopia's Boolean(true) and Range do, and refuses other text naming the parameter", async () => {
    // app/controllers/api/avatars.php:463-465 at 1.5.0: size is Range(1, 1000), download is Boolean(true).
    for (const [query, disposition] of [
      ['download=true', 'attachment; filename="qr.png"'],
      ['download=1', 'attachment; filename="qr.png"'],
      ['download=false', null],
      ['download=0', null],
      ['size=10', null],
      ['size=+10', null],
    ] as const) {
      const res = await server.call('GET', `/avatars/qr?text=hi&${query}`);
      expect(res.status, query).toBe(200);
      // avatars.php:478-480: the download flag makes the image an attachment.
      expect(res.headers.get('content-disposition'), query).toBe(disposition);
    }
    // `queries` is an array parameter (users.php:548): indexed values and `[]` values are both a list.
    const limit = encodeURIComponent(JSON.stringify({ method: 'limit', values: [1] }));
    for (const query of [`queries[0]=${limit}`, `queries[]=${limit}&queries[]=${limit}`])
      expect((await server.call('GET', `/users?${query}`)).status, query).toBe(200);
    const refused = async (query: string) => (await server.call('GET', `/avatars/qr?text=hi&${query}`)).json();
    expect(await refused('download=yes')).toEqual({
      message: 'Invalid `download` param: Value must be a valid boolean',
      code: 400,
      type: 'general_argument_invalid',
      version: '1.5.0',
    });
    expect(await refused('size=1.5')).toMatchObject({
      code: 400,
      type: 'general_argument_invalid',
      message: expect.stringMatching(/^Invalid `size` param: /) as string,
    });
    expect(await refused('size=')).toMatchObject({ code: 400, message: expect.stringMatching(/^Invalid `size` param: /) as string });
    // health.php:352-361: threshold is Integer(true), and the check fails when the size reaches it.
    expect((await server.call('GET', '/health/queue/mails?threshold=10')).status).toBe(200);
    expect(await (await server.call('GET', '/health/queue/mails?threshold=0')).json()).toMatchObject({ code: 503, type: 'health_queue_size_exceeded' });
  });

  it('refuses a request that lacks a required query parameter, naming it', async () => {
    // avatars.php:462: `text` has no default and is not optional.
    expect(await (await server.call('GET', '/avatars/qr?size=10')).json()).toEqual({
      message: 'Param "text" is not optional.',
      code: 400,
      type: 'general_argument_invalid',
      version: '1.5.0',
    });
  });

  it('takes numeric text for a Range body parameter, and a boolean as text only where the validator is Boolean(true)', async () => {
    await databases.create('params-text', 'Params');
    await databases.createCollection('params-text', 'notes', 'Notes');
    const attributes = '/databases/params-text/collections/notes/attributes/string';
    // databases.php:1135-1136 at 1.5.0: size is Range(1, 1073741824), required is a strict Boolean().
    const sized = await server.call('POST', attributes, { body: { key: 'title', size: '12', required: false } });
    expect(sized.status).toBe(202);
    expect(await sized.json()).toMatchObject({ key: 'title', size: 12, required: false });
    const strict = await server.call('POST', attributes, { body: { key: 'other', size: 12, required: 'true' } });
    expect(await strict.json()).toEqual({
      message: 'Invalid `required` param: Value must be a valid boolean',
      code: 400,
      type: 'general_argument_invalid',
      version: '1.5.0',
    });
    // databases.php:1012: documentSecurity is Boolean(true).
    const loose = await server.call('PUT', '/databases/params-text/collections/notes', { body: { name: 'Notes', documentSecurity: 'true' } });
    expect(loose.status).toBe(200);
    expect(await loose.json()).toMatchObject({ documentSecurity: true });
  });
});
