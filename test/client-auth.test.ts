import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { refusal, SDKS, type Sdk } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

const PROJECT = 'auth-project';
const ERR = { version: '1.5.0' };

/** An HS256-shaped token whose signature nobody made: what a forger can send. */
function forged(claims: object, alg = 'HS256'): string {
  const part = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ typ: 'JWT', alg })}.${part(claims)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

describe.each(SDKS)('%s: roles, scopes and credentials against the stateful replay', (_name, load) => {
  let server: TestServer;
  let sdk: Sdk;
  let keyClient: Sdk;
  const client = (set: (c: Sdk) => Sdk = (c) => c): Sdk => set(new sdk.Client().setEndpoint(server.endpoint).setProject(PROJECT));
  /** Signs a new user up and in through the key, as server-side rendering does; returns the session value. */
  async function signedIn(email: string): Promise<{ userId: string; session: string; sessionId: string }> {
    const account = new sdk.Account(keyClient);
    const user = await account.create(sdk.ID.unique(), email, 'password-1234', 'Ada');
    const session = await account.createEmailPasswordSession(email, 'password-1234');
    return { userId: user.$id, session: session.secret, sessionId: session.$id };
  }

  beforeAll(async () => {
    server = await startTestServer();
    sdk = await load();
    keyClient = client((c) => c.setKey('any-key'));
  });
  afterAll(() => server.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets a guest read the locale and sign up, and refuses the account and the users service with Appwrite's scope message", async () => {
    const guest = client();
    // app/controllers/api/locale.php:42-48 at 1.5.0: GeoIP knows no loopback address.
    expect(await new sdk.Locale(guest).get()).toEqual({
      ip: '127.0.0.1',
      countryCode: '--',
      country: 'Unknown',
      continent: 'Unknown',
      continentCode: '--',
      eu: false,
      currency: '',
    });
    // app/controllers/shared/api.php:253-259 at 1.5.0: `User (role: guests) missing scope (<scope>)`.
    expect(await refusal(new sdk.Account(guest).get())).toEqual({
      code: 401,
      type: 'general_unauthorized_scope',
      message: 'User (role: guests) missing scope (account)',
    });
    expect(await refusal(new sdk.Users(guest).list())).toEqual({
      code: 401,
      type: 'general_unauthorized_scope',
      message: 'User (role: guests) missing scope (users.read)',
    });
    const created = await new sdk.Account(guest).create(sdk.ID.unique(), `guest-${Date.now()}@example.com`, 'password-1234');
    expect(created.password).toBeUndefined();
    expect(created.hash).toBeUndefined();
  });

  it('names a signed-in user by email when their role lacks a scope', async () => {
    const email = `scoped-${Date.now()}@example.com`;
    const { session } = await signedIn(email);
    const user = client((c) => c.setSession(session));
    expect((await new sdk.Account(user).get()).email).toBe(email);
    expect(await refusal(new sdk.Users(user).list())).toEqual({
      code: 401,
      type: 'general_unauthorized_scope',
      message: `${email} (role: users) missing scope (users.read)`,
    });
    expect(await refusal(new sdk.Databases(user).list())).toMatchObject({ code: 401, message: `${email} (role: users) missing scope (databases.read)` });
  });

  it('refuses the account routes to a key, which no project can give the account scope', async () => {
    const res = await fetch(`${server.endpoint}/account`, { headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': 'k' } });
    expect(res.status).toBe(401);
    // app/controllers/shared/api.php:205-211 at 1.5.0: a key's caller is `app.<project>@service.<host>`.
    expect(await res.json()).toEqual({
      ...ERR,
      code: 401,
      type: 'general_unauthorized_scope',
      message: `app.${PROJECT}@service.127.0.0.1 (role: applications) missing scope (account)`,
    });
  });

  it('takes a session the state never issued for a guest, whatever its form', async () => {
    const { userId } = await signedIn(`unknown-${Date.now()}@example.com`);
    const madeUp = Buffer.from(JSON.stringify({ id: userId, secret: 'f'.repeat(64) })).toString('base64');
    for (const value of ['junk', madeUp]) {
      expect(await refusal(new sdk.Account(client((c) => c.setSession(value))).get())).toEqual({
        code: 401,
        type: 'general_unauthorized_scope',
        message: 'User (role: guests) missing scope (account)',
      });
      const res = await fetch(`${server.endpoint}/account`, { headers: { 'x-appwrite-project': PROJECT, cookie: `a_session_${PROJECT}=${value}` } });
      expect(res.status).toBe(401);
    }
  });

  it('refuses a key sent together with a session that resolves to a user, and takes a key beside an unknown one', async () => {
    const { session, userId } = await signedIn(`both-${Date.now()}@example.com`);
    const both = client((c) => c.setKey('any-key').setSession(session));
    // app/controllers/shared/api.php:200-203 and app/config/errors.php:325-329 at 1.5.0: 403, type user_key_and_session_set.
    expect(await refusal(new sdk.Users(both).list())).toEqual({
      code: 403,
      type: 'user_key_and_session_set',
      message:
        'API key and session used in the same request. Use either `setSession` or `setKey`. Learn about which authentication method to use in the SSR docs: https://appwrite.io/docs/products/auth/server-side-rendering',
    });
    const list = await new sdk.Users(client((c) => c.setKey('any-key').setSession('junk'))).list();
    expect(list.users.map((user: { $id: string }) => user.$id)).toContain(userId);
  });

  it('serves a JWT it signed as its user, and refuses forged, tampered, unsigned and malformed ones with 401 user_jwt_invalid', async () => {
    const email = `jwt-${Date.now()}@example.com`;
    const { session, userId, sessionId } = await signedIn(email);
    const { jwt } = await new sdk.Account(client((c) => c.setSession(session))).createJWT();
    expect(jwt.split('.')).toHaveLength(3);
    const header = JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ typ: 'JWT', alg: 'HS256' });
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { userId: string; sessionId: string; exp: number };
    expect(claims.userId).toBe(userId);
    expect(claims.sessionId).toBe(sessionId);
    expect(claims.exp - Date.now() / 1000).toBeGreaterThan(890);
    expect(claims.exp - Date.now() / 1000).toBeLessThanOrEqual(900);
    expect((await new sdk.Account(client((c) => c.setJWT(jwt))).get()).$id).toBe(userId);

    const [h, p] = jwt.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, userId: 'someone-else' })).toString('base64url')}.${jwt.split('.')[2]}`;
    const refusedWith = async (token: string): Promise<unknown> => refusal(new sdk.Account(client((c) => c.setJWT(token))).get());
    // app/init.php:1198-1205 at 1.5.0: `Failed to verify JWT. ` and adhocore/jwt's reason.
    const invalid = (reason: string) => ({ code: 401, type: 'user_jwt_invalid', message: `Failed to verify JWT. ${reason}` });
    expect(await refusedWith(forged({ userId, sessionId, exp: claims.exp }))).toEqual(invalid('Invalid token: Signature failed'));
    expect(await refusedWith(tampered)).toEqual(invalid('Invalid token: Signature failed'));
    expect(await refusedWith(`${h}.${p}.`)).toEqual(invalid('Invalid token: Signature failed'));
    expect(await refusedWith(forged({ userId, sessionId }, 'none'))).toEqual(invalid('Invalid token: Unsupported header algo'));
    expect(await refusedWith('a.b')).toEqual(invalid('Invalid token: Incomplete segments'));
    expect(await refusedWith('a.b.c')).toMatchObject({ code: 401, type: 'user_jwt_invalid' });
    // A JWT is refused even next to a valid session: the JWT decides (app/init.php:1196-1214).
    expect(await refusal(new sdk.Account(client((c) => c.setSession(session).setJWT(forged({ userId, sessionId })))).get())).toMatchObject({
      code: 401,
      type: 'user_jwt_invalid',
    });
  });

  it('refuses a JWT once its 15 minutes and the 10 s leeway are over', async () => {
    const { session } = await signedIn(`expired-${Date.now()}@example.com`);
    const { jwt } = await new sdk.Account(client((c) => c.setSession(session))).createJWT();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 911_000 });
    expect(await refusal(new sdk.Account(client((c) => c.setJWT(jwt))).get())).toEqual({
      code: 401,
      type: 'user_jwt_invalid',
      message: 'Failed to verify JWT. Invalid token: Expired',
    });
  });

  it('makes a guest of a well-signed JWT whose session was deleted, as Appwrite does', async () => {
    const { session } = await signedIn(`revoked-${Date.now()}@example.com`);
    const account = new sdk.Account(client((c) => c.setSession(session)));
    const { jwt } = await account.createJWT();
    await account.deleteSession('current');
    // app/init.php:1207-1213 at 1.5.0: the user is emptied when the JWT's session is not among theirs.
    expect(await refusal(new sdk.Account(client((c) => c.setJWT(jwt))).get())).toEqual({
      code: 401,
      type: 'general_unauthorized_scope',
      message: 'User (role: guests) missing scope (account)',
    });
  });

  it('refuses a JWT made by another server, whose key it never knew', async () => {
    const other = await startTestServer();
    try {
      const otherKey = new sdk.Client().setEndpoint(other.endpoint).setProject(PROJECT).setKey('k');
      const email = `other-${Date.now()}@example.com`;
      await new sdk.Account(otherKey).create(sdk.ID.unique(), email, 'password-1234');
      const { secret } = await new sdk.Account(otherKey).createEmailPasswordSession(email, 'password-1234');
      const { jwt } = await new sdk.Account(new sdk.Client().setEndpoint(other.endpoint).setProject(PROJECT).setSession(secret)).createJWT();
      expect(await refusal(new sdk.Account(client((c) => c.setJWT(jwt))).get())).toEqual({
        code: 401,
        type: 'user_jwt_invalid',
        message: 'Failed to verify JWT. Invalid token: Signature failed',
      });
    } finally {
      await other.stop();
    }
  });
});
