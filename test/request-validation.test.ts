import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

/**
 * How the router of Appwrite 1.5.0 (utopia-php/framework 0.33.2, App::getArguments and App::validate) refuses a
 * request, answered by a real server: which problem wins, and in whose words.
 */
describe("requests refused as Appwrite's router refuses them", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const NO_KEY = { 'x-appwrite-key': '' };
  const EMAIL = 'Value must be a valid email address';
  const DICTIONARY = 'Password must be between 8 and 265 characters long, and should not be one of the commonly used password.';
  const PASSWORD = 'Password must be between 8 and 256 characters long.';
  const CUSTOM_ID = "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

  async function refusal(res: Response): Promise<{ status: number; body: unknown }> {
    return { status: res.status, body: await res.json() };
  }
  const invalid = (message: string) => ({ status: 400, body: { message, code: 400, type: 'general_argument_invalid', version: '1.5.0' } });
  async function createUser(id: string): Promise<void> {
    const res = await server.call('POST', '/users', { body: { userId: id, email: `${id}@example.com`, password: 'password-123' } });
    expect(res.status).toBe(201);
  }
  function form(fields: Record<string, string>): FormData {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    return data;
  }
  const sendForm = (method: string, path: string, fields: Record<string, string>) =>
    fetch(`${server.endpoint}${path}`, { method, headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'test-key' }, body: form(fields) });

  it('refuses a missing scope before any parameter (shared/api.php:283-295)', async () => {
    const res = await server.call('POST', '/users', { headers: NO_KEY, body: { userId: '_bad' } });
    expect(await refusal(res)).toEqual({
      status: 401,
      body: { message: 'User (role: guests) missing scope (users.write)', code: 401, type: 'general_unauthorized_scope', version: '1.5.0' },
    });
  });

  it("refuses a path value that is not in the parameter's WhiteList, lowercase lists taking any case", async () => {
    // avatars.php:226 at 1.5.0: `code` is WhiteList(array_keys(avatar-browsers)), not strict.
    expect(await refusal(await server.call('GET', '/avatars/browsers/zz'))).toEqual(
      invalid('Invalid `code` param: Value must be one of (aa, an, ch, ci, cm, cr, ff, sf, mf, ps, oi, om, op, on)'),
    );
    expect((await server.call('GET', '/avatars/browsers/ch')).status).toBe(200);
    // A value that breaks Key's rule too is still the WhiteList's to refuse.
    expect(await refusal(await server.call('GET', '/avatars/browsers/_zz'))).toEqual(
      invalid('Invalid `code` param: Value must be one of (aa, an, ch, ci, cm, cr, ff, sf, mf, ps, oi, om, op, on)'),
    );
    // users.php:1729: `type` is WhiteList([totp]), not strict: TOTP passes, and the user has no authenticator (1741-1743).
    await createUser('list-1');
    expect(await refusal(await server.call('DELETE', '/users/list-1/mfa/authenticators/sms'))).toEqual(
      invalid('Invalid `type` param: Value must be one of (totp)'),
    );
    expect(await refusal(await server.call('DELETE', '/users/list-1/mfa/authenticators/TOTP'))).toEqual({
      status: 404,
      body: { message: 'Authenticator could not be found on the current user.', code: 404, type: 'user_authenticator_not_found', version: '1.5.0' },
    });
  });

  it('refuses a path ID that is no UID and a path key that is no Key, in whatever service', async () => {
    // Every `…Id` path parameter of 1.5.0's server routes is `new UID()` (databases.php, storage.php, teams.php,
    // users.php), an attribute's `key` is `new Key()` (databases.php:1363 and on); both follow Key's rule.
    const UID = "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";
    expect(await refusal(await server.call('GET', '/databases/_bad'))).toEqual(invalid(`Invalid \`databaseId\` param: ${UID}`));
    expect(await refusal(await server.call('GET', `/storage/buckets/photos/files/${'f'.repeat(37)}`))).toEqual(invalid(`Invalid \`fileId\` param: ${UID}`));
    expect(await refusal(await server.call('GET', '/databases/uid-db/collections/notes/attributes/-title'))).toEqual(
      invalid(`Invalid \`key\` param: ${CUSTOM_ID}`),
    );
    await createUser('uid-1');
    expect(await refusal(await server.call('DELETE', '/users/uid-1/sessions/.s'))).toEqual(invalid(`Invalid \`sessionId\` param: ${UID}`));
    // Periods and hyphens inside pass, and the route answers for itself.
    expect(await refusal(await server.call('GET', `/teams/a.b-c_${'d'.repeat(30)}`))).toEqual({
      status: 404,
      body: { message: 'Team with the requested ID could not be found.', code: 404, type: 'team_not_found', version: '1.5.0' },
    });
  });

  it('answers the first problem in the order the route declares its query parameters', async () => {
    // avatars.php:462-465: text, size, margin, download.
    expect(await refusal(await server.call('GET', '/avatars/qr?size=abc'))).toEqual(invalid('Param "text" is not optional.'));
    const size = await refusal(await server.call('GET', '/avatars/qr?margin=xyz&size=abc&text=hi'));
    expect((size.body as { message: string }).message).toMatch(/^Invalid `size` param: /);
    const margin = await refusal(await server.call('GET', '/avatars/qr?text=hi&size=10&margin=xyz&download=maybe'));
    expect((margin.body as { message: string }).message).toMatch(/^Invalid `margin` param: /);
    expect(await refusal(await server.call('GET', '/avatars/qr?text=hi&size=10&margin=2&download=maybe'))).toEqual(
      invalid('Invalid `download` param: Value must be a valid boolean'),
    );
  });

  it('answers the first problem in the order the route declares its body parameters, whatever order the body has', async () => {
    // users.php:191-195 at 1.5.0: userId (CustomId), email (Email), phone, password (PasswordDictionary), name.
    const create = async (body: Record<string, unknown>) => refusal(await server.call('POST', '/users', { body }));
    expect(await create({ password: 'x', email: 'bad', userId: '_bad' })).toEqual(invalid(`Invalid \`userId\` param: ${CUSTOM_ID}`));
    expect(await create({ password: 'x', email: 'bad', userId: 'order-1' })).toEqual(invalid(`Invalid \`email\` param: ${EMAIL}`));
    expect(await create({ password: 'x', email: 'order-1@example.com', userId: 'order-1' })).toEqual(invalid(`Invalid \`password\` param: ${DICTIONARY}`));
  });

  it("refuses a value that is no string with the words of Appwrite's own validator for the parameter", async () => {
    // filter_var() of a number is no address; Password.php asks is_string first.
    const create = async (body: Record<string, unknown>) => refusal(await server.call('POST', '/users', { body }));
    expect(await create({ userId: 'typed-1', email: 12345, password: 'password-123' })).toEqual(invalid(`Invalid \`email\` param: ${EMAIL}`));
    expect(await create({ userId: 'typed-1', email: 'typed-1@example.com', password: 123456789 })).toEqual(
      invalid(`Invalid \`password\` param: ${DICTIONARY}`),
    );
    const signIn = await server.call('POST', '/account/sessions/email', { headers: NO_KEY, body: { email: 'typed@example.com', password: true } });
    expect(await refusal(signIn)).toEqual(invalid(`Invalid \`password\` param: ${PASSWORD}`));
    const nullEmail = await server.call('POST', '/account/sessions/email', { headers: NO_KEY, body: { email: null, password: 'password-123' } });
    expect(await refusal(nullEmail)).toEqual(invalid(`Invalid \`email\` param: ${EMAIL}`));
    // account.php:3014: a recovery's userId is a UID, which asks is_string too.
    const recovery = await server.call('PUT', '/account/recovery', {
      headers: { ...NO_KEY, 'x-appwrite-session': 'a-session' },
      body: { userId: 42, secret: 's', password: 'password-123' },
    });
    expect(await refusal(recovery)).toEqual(
      invalid(
        "Invalid `userId` param: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore",
      ),
    );
  });

  it("takes a custom ID of up to 36 of Appwrite's ID characters, or unique(), and refuses a leading special character", async () => {
    const create = (userId: string) => server.call('POST', '/users', { body: { userId } });
    for (const id of ['a'.repeat(36), 'A.b-c_9', '9lives']) {
      const res = await create(id);
      expect(res.status, id).toBe(201);
      expect(((await res.json()) as { $id: string }).$id).toBe(id);
    }
    expect((await create('unique()')).status).toBe(201);
    // A number is no string for Key (CustomId.php:21 at 1.5.0).
    expect(await refusal(await server.call('POST', '/users', { body: { userId: 12345 } }))).toEqual(invalid(`Invalid \`userId\` param: ${CUSTOM_ID}`));
    for (const id of ['a'.repeat(37), '.dot', '-dash', '_under', 'Unique()', 'has space', 'ümlaut'])
      expect(await refusal(await create(id)), id).toEqual(invalid(`Invalid \`userId\` param: ${CUSTOM_ID}`));
  });

  it('takes an empty name, email and phone number where the validator allows it, and refuses it for other required text', async () => {
    // users.php:1077 Text(128, 0), 1191 Email(allowEmpty), 1285 Phone(allowEmpty) at 1.5.0.
    await createUser('empty-1');
    for (const [path, body, field] of [
      ['name', { name: '' }, 'name'],
      ['email', { email: '' }, 'email'],
      ['phone', { number: '' }, 'phone'],
    ] as const) {
      const res = await server.call('PATCH', `/users/empty-1/${path}`, { body });
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as Record<string, unknown>)[field], path).toBe('');
    }
    // teams.php:53: name is Text(128), whose minimum is 1.
    const team = await refusal(await server.call('POST', '/teams', { body: { teamId: 'empty-team', name: '' } }));
    expect(team.body).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect((team.body as { message: string }).message).toMatch(/^Invalid `name` param: Value must be a valid string/);
  });

  it('takes 1 and 0 as well as boolean text where the validator is Boolean(true), and refuses them for a strict Boolean()', async () => {
    // users.php:969 at 1.5.0: status is Boolean(true).
    await createUser('loose-1');
    for (const [status, expected] of [
      [0, false],
      [1, true],
      ['false', false],
      ['1', true],
    ] as const) {
      const res = await server.call('PATCH', '/users/loose-1/status', { body: { status } });
      expect(res.status, String(status)).toBe(200);
      expect(((await res.json()) as { status: boolean }).status, String(status)).toBe(expected);
    }
    for (const status of [2, 'no', 'TRUE', null])
      expect(await refusal(await server.call('PATCH', '/users/loose-1/status', { body: { status } })), String(status)).toEqual(
        invalid('Invalid `status` param: Value must be a valid boolean'),
      );
    // databases.php:1135: `required` of a string attribute is a strict Boolean().
    await server.call('POST', '/databases', { body: { databaseId: 'loose-db', name: 'Loose' } });
    await server.call('POST', '/databases/loose-db/collections', { body: { collectionId: 'notes', name: 'Notes' } });
    const strict = await server.call('POST', '/databases/loose-db/collections/notes/attributes/string', { body: { key: 'title', size: 12, required: 0 } });
    expect(await refusal(strict)).toEqual(invalid('Invalid `required` param: Value must be a valid boolean'));
  });

  it('reads form fields as text for their parameter type, as Appwrite reads a multipart body', async () => {
    const created = await sendForm('POST', '/users', { userId: 'form-1', email: 'form-1@example.com', password: 'password-123' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ $id: 'form-1', email: 'form-1@example.com' });
    const off = await sendForm('PATCH', '/users/form-1/status', { status: 'false' });
    expect(off.status).toBe(200);
    expect(((await off.json()) as { status: boolean }).status).toBe(false);
    expect(await refusal(await sendForm('PATCH', '/users/form-1/status', { status: 'maybe' }))).toEqual(
      invalid('Invalid `status` param: Value must be a valid boolean'),
    );
    expect(await refusal(await sendForm('POST', '/users', { email: 'form-2@example.com' }))).toEqual(invalid('Param "userId" is not optional.'));
  });

  it('takes a file part of a multipart body as the file, and asks for the parameters before the bucket', async () => {
    // storage.php at 1.5.0: bucketId (path), fileId (CustomId), file, permissions; multipart is the only body declared.
    const upload = (fields: Record<string, string>, file: boolean) => {
      const data = form(fields);
      if (file) data.append('file', new Blob(['hello']), 'hello.txt');
      return fetch(`${server.endpoint}/storage/buckets/no-bucket/files`, {
        method: 'POST',
        headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'test-key' },
        body: data,
      });
    };
    expect(await refusal(await upload({}, true))).toEqual(invalid('Param "fileId" is not optional.'));
    expect(await refusal(await upload({ fileId: '_f' }, true))).toEqual(invalid(`Invalid \`fileId\` param: ${CUSTOM_ID}`));
    expect(await refusal(await upload({ fileId: 'f1' }, true))).toEqual({
      status: 404,
      body: { message: 'Storage bucket with the requested ID could not be found.', code: 404, type: 'storage_bucket_not_found', version: '1.5.0' },
    });
  });

  it('reads a text body as no parameters, and leaves out body names no parameter has, those of Object.prototype too', async () => {
    const text = await server.call('POST', '/users', { headers: { 'content-type': 'text/plain' }, body: 'userId=text-1' });
    expect(await refusal(text)).toEqual(invalid('Param "userId" is not optional.'));
    const odd = await server.call('POST', '/users', {
      body: '{"userId":"odd-1","constructor":1,"__proto__":{"admin":true},"toString":"x","hasOwnProperty":null,"extra":"y"}',
    });
    expect(odd.status).toBe(201);
    const user = (await odd.json()) as Record<string, unknown>;
    expect(user).toMatchObject({ $id: 'odd-1', name: '', email: '' });
    expect(Object.keys(user)).not.toContain('extra');
  });
});
