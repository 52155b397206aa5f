import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function expectInvalid(res: Response, message: string): Promise<void> {
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ message, code: 400, type: 'general_argument_invalid', version: '1.5.0' });
}

const EMAIL = 'Invalid `email` param: Value must be a valid email address';
const DICTIONARY = 'Invalid `password` param: Password must be between 8 and 265 characters long, and should not be one of the commonly used password.';
const PASSWORD = 'Invalid `password` param: Password must be between 8 and 256 characters long.';
const UID = "Invalid `userId` param: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";

describe("Appwrite's Email validator (src/Appwrite/Network/Validator/Email.php at 1.5.0: PHP's FILTER_VALIDATE_EMAIL)", () => {
  it.each([
    '"ada lovelace"@example.com',
    'not-an-email',
    'ädä@example.com',
    'ada@exämple.com',
    'ada@localhost',
    'ada@example.123',
    '.ada@example.com',
    'ada..lovelace@example.com',
    'ada@-example.com',
    `${'a'.repeat(65)}@example.com`,
    'ada @example.com',
  ])('refuses %s when a user is created, as Appwrite does (users.php:192)', async (email) => {
    await expectInvalid(await server.call('POST', '/users', { body: { userId: 'unique()', email, password: 'password-123' } }), EMAIL);
  });

  it.each([
    'ada@example.com',
    'Ada.Lovelace+vcr@Example.CO.uk',
    '"ada.lovelace"@example.com',
    'ada@[192.0.2.1]',
    'ada@xn--bcher-kva.example',
    "o'hara@example.com",
  ])('accepts %s', async (email) => {
    expect((await server.call('POST', '/users', { body: { userId: 'unique()', email } })).status).toBe(201);
  });

  it('checks the email of a sign-in (account.php:705) and of an email update, where users.php:1191 lets an empty one through', async () => {
    await expectInvalid(
      await server.call('POST', '/account/sessions/email', { headers: { 'x-appwrite-key': '' }, body: { email: 'nobody', password: 'password-123' } }),
      EMAIL,
    );
    const user = (await (await server.call('POST', '/users', { body: { userId: 'unique()', email: 'grace@example.com' } })).json()) as { $id: string };
    await expectInvalid(await server.call('PATCH', `/users/${user.$id}/email`, { body: { email: 'grace' } }), EMAIL);
    expect((await server.call('PATCH', `/users/${user.$id}/email`, { body: { email: '' } })).status).toBe(200);
  });
});

describe("Appwrite's Password validators (src/Appwrite/Auth/Validator/Password.php and PasswordDictionary.php at 1.5.0)", () => {
  it('refuses a password under 8 or over 256 bytes, in the words of the validator the route uses', async () => {
    // users.php:194 takes PasswordDictionary; account.php:706 (sign-in) takes Password.
    await expectInvalid(await server.call('POST', '/users', { body: { userId: 'unique()', email: 'short@example.com', password: 'x' } }), DICTIONARY);
    await expectInvalid(
      await server.call('POST', '/users', { body: { userId: 'unique()', email: 'long@example.com', password: 'é'.repeat(129) } }),
      DICTIONARY,
    );
    await expectInvalid(
      await server.call('POST', '/account/sessions/email', { headers: { 'x-appwrite-key': '' }, body: { email: 'ada@example.com', password: 'seven77' } }),
      PASSWORD,
    );
    await expectInvalid(await server.call('POST', '/users/bcrypt', { body: { userId: 'unique()', email: 'hash@example.com', password: '$2y$' } }), PASSWORD);
    expect((await server.call('POST', '/users', { body: { userId: 'unique()', email: 'eight@example.com', password: 'eight888' } })).status).toBe(201);
    expect((await server.call('POST', '/users', { body: { userId: 'unique()', email: 'max@example.com', password: 'é'.repeat(128) } })).status).toBe(201);
  });
});

describe("Appwrite's UID validator (Utopia\\Database\\Validator\\UID, utopia-php/database 0.48.4)", () => {
  it('refuses a /users/{userId} path that is no UID (users.php:602), and a UID body parameter (account.php:3014)', async () => {
    await expectInvalid(await server.call('GET', '/users/_leading'), UID);
    await expectInvalid(await server.call('GET', `/users/${'a'.repeat(37)}`), UID);
    await expectInvalid(await server.call('GET', '/users/has%20space'), UID);
    expect((await server.call('GET', '/users/no-such-user')).status).toBe(404);
    await expectInvalid(
      await server.call('PUT', '/account/recovery', {
        headers: { 'x-appwrite-key': '', 'x-appwrite-session': 'a-session' },
        body: { userId: 'unique()', secret: 's', password: 'password-123' },
      }),
      UID,
    );
  });
});

describe("Appwrite's email normalisation (strtolower in users.php:58 and account.php:717)", () => {
  it('makes emails that differ only in case one user: a second one is 409 user_already_exists, and either case signs in', async () => {
    expect((await server.call('POST', '/users', { body: { userId: 'ada', email: 'Ada.Case@Example.com', password: 'password-123' } })).status).toBe(201);
    const again = await server.call('POST', '/users', { body: { userId: 'ada2', email: 'ada.case@example.COM', password: 'password-123' } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toBe('user_already_exists');
    for (const email of ['ada.case@example.com', 'ADA.CASE@EXAMPLE.COM']) {
      const session = await server.call('POST', '/account/sessions/email', { headers: { 'x-appwrite-key': '' }, body: { email, password: 'password-123' } });
      expect(session.status).toBe(201);
      expect(((await session.json()) as { userId: string }).userId).toBe('ada');
    }
  });
});
