import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

const EMAIL = 'Value must be a valid email address';
const DICTIONARY = 'Password must be between 8 and 265 characters long, and should not be one of the commonly used password.';
const PASSWORD = 'Password must be between 8 and 256 characters long.';

/** A request of a route, the parameter it gets wrong, and the description Appwrite 1.5.0 refuses it with. */
type Case = [operation: string, param: string, method: string, path: string, body: Record<string, unknown>, message: string];

/**
 * Each account and users route that puts Appwrite's own Email, Password or PasswordDictionary validator on a
 * parameter the spec calls a plain string (app/controllers/api/account.php and users.php at 1.5.0), and each body
 * boolean whose validator is the loose Boolean(true).
 */
describe("Appwrite's own validators, route by route", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const invalid = (param: string, message: string) => ({
    message: `Invalid \`${param}\` param: ${message}`,
    code: 400,
    type: 'general_argument_invalid',
    version: '1.5.0',
  });
  async function answer(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const res = await server.call(method, path, { body, headers });
    return { status: res.status, body: await res.json() };
  }
  /** A user made through the key, and the headers of a session of theirs without the key. */
  async function signedIn(id: string): Promise<Record<string, string>> {
    expect((await server.call('POST', '/users', { body: { userId: id, email: `${id}@example.com`, password: 'password-123' } })).status).toBe(201);
    const session = (await (await server.call('POST', `/users/${id}/sessions`)).json()) as { secret: string };
    return { 'x-appwrite-key': '', 'x-appwrite-session': session.secret };
  }
  const GUEST = { 'x-appwrite-key': '' };

  it.each<Case>([
    ['accountCreate', 'email', 'POST', '/account', { userId: 'unique()', email: 'bad', password: 'password-123' }, EMAIL],
    ['accountCreate', 'password', 'POST', '/account', { userId: 'unique()', email: 'a@example.com', password: 'short' }, DICTIONARY],
    ['accountCreateRecovery', 'email', 'POST', '/account/recovery', { email: 'bad', url: 'http://localhost/recover' }, EMAIL],
    ['accountUpdateRecovery', 'password', 'PUT', '/account/recovery', { userId: 'u1', secret: 's', password: 'short' }, DICTIONARY],
    ['accountCreateEmailToken', 'email', 'POST', '/account/tokens/email', { userId: 'unique()', email: 'bad' }, EMAIL],
    ['accountCreateMagicURLToken', 'email', 'POST', '/account/tokens/magic-url', { userId: 'unique()', email: 'bad' }, EMAIL],
    ['accountUpdateVerification', 'userId', 'PUT', '/account/verification', { userId: '_u', secret: 's' }, 'UID'],
    ['accountUpdatePhoneVerification', 'userId', 'PUT', '/account/verification/phone', { userId: '_u', secret: 's' }, 'UID'],
  ])('%s refuses a guest a bad %s', async (_operation, param, method, path, body, message) => {
    const words =
      message === 'UID' ? "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore" : message;
    expect(await answer(method, path, body, GUEST)).toEqual({ status: 400, body: invalid(param, words) });
  });

  it.each<Case>([
    ['accountUpdateEmail', 'email', 'PATCH', '/account/email', { email: 'bad', password: 'password-123' }, EMAIL],
    ['accountUpdateEmail', 'password', 'PATCH', '/account/email', { email: 'new@example.com', password: 'short' }, PASSWORD],
    ['accountUpdatePassword', 'password', 'PATCH', '/account/password', { password: 'short', oldPassword: 'password-123' }, DICTIONARY],
    ['accountUpdatePassword', 'oldPassword', 'PATCH', '/account/password', { password: 'password-456', oldPassword: 'short' }, PASSWORD],
    ['accountUpdatePhone', 'password', 'PATCH', '/account/phone', { phone: '+14155550100', password: 'short' }, PASSWORD],
  ])('%s refuses a signed-in user a bad %s', async (operation, param, method, path, body, message) => {
    const headers = await signedIn(`${operation.toLowerCase()}-${param.toLowerCase()}`);
    expect(await answer(method, path, body, headers)).toEqual({ status: 400, body: invalid(param, message) });
  });

  const hashed: [string, string, Record<string, unknown>][] = [
    ['usersCreateArgon2User', '/users/argon2', {}],
    ['usersCreateMD5User', '/users/md5', {}],
    ['usersCreatePHPassUser', '/users/phpass', {}],
    ['usersCreateSHAUser', '/users/sha', {}],
    ['usersCreateScryptUser', '/users/scrypt', { passwordSalt: 'salt', passwordCpu: 8, passwordMemory: 14, passwordParallel: 1, passwordLength: 64 }],
    ['usersCreateScryptModifiedUser', '/users/scrypt-modified', { passwordSalt: 'c2FsdA==', passwordSaltSeparator: 'Bw==', passwordSignerKey: 'a2V5' }],
  ];
  it.each(hashed)('%s checks the email, and the hash as a Password of 8 to 256 bytes', async (_operation, path, extra) => {
    expect(await answer('POST', path, { userId: 'unique()', email: 'bad', password: 'hash-of-it', ...extra })).toEqual({
      status: 400,
      body: invalid('email', EMAIL),
    });
    expect(await answer('POST', path, { userId: 'unique()', email: 'h@example.com', password: 'hash', ...extra })).toEqual({
      status: 400,
      body: invalid('password', PASSWORD),
    });
  });

  it('refuses an empty password where the validator has no allowEmpty, though the parameter is optional', async () => {
    // users.php:194: usersCreate's password is optional, and App::validate checks a present '' (only null is skipped).
    expect(await answer('POST', '/users', { userId: 'pw-none', email: 'pw-none@example.com', password: '' })).toEqual({
      status: 400,
      body: invalid('password', DICTIONARY),
    });
  });

  it("usersUpdatePassword takes an empty password (PasswordDictionary's allowEmpty) and refuses a short one", async () => {
    expect((await server.call('POST', '/users', { body: { userId: 'pw-empty', email: 'pw-empty@example.com', password: 'password-123' } })).status).toBe(201);
    expect(await answer('PATCH', '/users/pw-empty/password', { password: 'short' })).toEqual({ status: 400, body: invalid('password', DICTIONARY) });
    const emptied = await answer('PATCH', '/users/pw-empty/password', { password: '' });
    expect(emptied.status).toBe(200);
    expect(emptied.body).toMatchObject({ $id: 'pw-empty' });
  });

  it('takes boolean text for every Boolean(true) body parameter of buckets, collections and deployments', async () => {
    // storage.php:66-72, 243-249; databases.php:747, 1012; functions.php:1051 at 1.5.0.
    const flags = { fileSecurity: 'true', enabled: '0', encryption: 'false', antivirus: '1' };
    const bucket = await answer('POST', '/storage/buckets', { bucketId: 'loose-bucket', name: 'Loose', ...flags });
    expect(bucket.status).toBe(201);
    expect(bucket.body).toMatchObject({ $id: 'loose-bucket', fileSecurity: true, enabled: false, encryption: false, antivirus: true });
    const updated = await answer('PUT', '/storage/buckets/loose-bucket', {
      name: 'Loose',
      fileSecurity: '0',
      enabled: 'true',
      encryption: '1',
      antivirus: 'false',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ fileSecurity: false, enabled: true, encryption: true, antivirus: false });
    expect((await answer('POST', '/databases', { databaseId: 'loose-db', name: 'Loose' })).status).toBe(201);
    const collection = await answer('POST', '/databases/loose-db/collections', { collectionId: 'notes', name: 'Notes', documentSecurity: 'true' });
    expect(collection.status).toBe(201);
    expect(collection.body).toMatchObject({ $id: 'notes', documentSecurity: true });
    const notes = await answer('PUT', '/databases/loose-db/collections/notes', { name: 'Notes', documentSecurity: '0' });
    expect(notes.status).toBe(200);
    expect(notes.body).toMatchObject({ documentSecurity: false });
    // The deployment's other checks come after the parameters: a function that does not exist.
    expect(await answer('POST', '/functions/no-function/deployments', { code: 'x', activate: 'true' })).toEqual({
      status: 404,
      body: { message: 'Function with the requested ID could not be found.', code: 404, type: 'function_not_found', version: '1.5.0' },
    });
    // `enabled` of a collection is a strict Boolean() (databases.php:748).
    expect(await answer('POST', '/databases/loose-db/collections', { collectionId: 'strict', name: 'Strict', enabled: 'true' })).toEqual({
      status: 400,
      body: invalid('enabled', 'Value must be a valid boolean'),
    });
  });
});
