import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecorder, type OutboxMessage } from '../src/index.js';
import { refusal, SDKS, type Sdk } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

const PROJECT = 'life-project';
const PASSWORD = 'Plain-Password-4242';
const BROWSER = { 'x-appwrite-project': PROJECT, 'content-type': 'application/json', origin: 'http://127.0.0.1:5173' };

/** Every answer's bytes, to check that none carries a plain password. */
const answers: string[] = [];

async function browser(server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${server.endpoint}${path}`, {
    method,
    headers: { ...BROWSER, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  answers.push(await res.clone().text());
  return res;
}

function cookieValue(res: Response, name: string): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie`);
  return decodeURIComponent(line.slice(name.length + 1).split(';')[0]!);
}

describe('a browser signs up, in and out against the stateful replay (raw HTTP, as the web SDK sends it)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    await server.reset();
    answers.length = 0;
  });
  // No answer of the flow carries the plain password, whichever test ran.
  afterEach(() => {
    expect(answers.length).toBeGreaterThan(0);
    for (const text of answers) expect(text).not.toContain(PASSWORD);
  });

  /** Ada's account, made the way the first test makes it. */
  async function signUpAda(): Promise<void> {
    const res = await browser(server, 'POST', '/account', { userId: 'ada', email: 'Ada@Example.com', password: PASSWORD, name: 'Ada' });
    expect(res.status).toBe(201);
  }

  it('stores a sign-up and answers the account without password or hash', async () => {
    const res = await browser(server, 'POST', '/account', { userId: 'ada', email: 'Ada@Example.com', password: PASSWORD, name: 'Ada' });
    expect(res.status).toBe(201);
    const account = (await res.json()) as Record<string, unknown>;
    expect(account).toMatchObject({ $id: 'ada', email: 'ada@example.com', name: 'Ada', emailVerification: false, status: true });
    expect(account).not.toHaveProperty('password');
    expect(account).not.toHaveProperty('hash');
    const stored = await server.call('GET', '/users/ada');
    expect(stored.status).toBe(200);
    expect(((await stored.json()) as { email: string }).email).toBe('ada@example.com');
  });

  it('signs in with both session cookies and X-Fallback-Cookies, and hides the secret from a browser', async () => {
    await signUpAda();
    const res = await browser(server, 'POST', '/account/sessions/email', { email: 'ada@example.com', password: PASSWORD });
    expect(res.status).toBe(201);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    // app/controllers/api/account.php:790-793 at 1.5.0; the form a real 1.5.0 sent (shared recordings).
    expect(cookies[0]).toMatch(
      new RegExp(`^a_session_${PROJECT}_legacy=[^;]+; expires=\\w{3}, \\d{2}-\\w{3}-\\d{4} \\d{2}:\\d{2}:\\d{2} GMT; Max-Age=3153600\\d; path=/; httponly$`),
    );
    expect(cookies[1]).toMatch(new RegExp(`^a_session_${PROJECT}=[^;]+; expires=.+; path=/; httponly; samesite=None$`));
    const value = cookieValue(res, `a_session_${PROJECT}`);
    expect(cookieValue(res, `a_session_${PROJECT}_legacy`)).toBe(value);
    expect(JSON.parse(res.headers.get('x-fallback-cookies')!)).toEqual({ [`a_session_${PROJECT}`]: value });
    const decoded = JSON.parse(Buffer.from(value, 'base64').toString()) as { id: string; secret: string };
    expect(decoded.id).toBe('ada');
    expect(decoded.secret.length).toBeGreaterThanOrEqual(64);
    const session = (await res.json()) as Record<string, unknown>;
    expect(session).toMatchObject({ userId: 'ada', provider: 'email', current: true, factors: ['password'], secret: '' });
    const ways: Record<string, string>[] = [
      { cookie: `a_session_${PROJECT}=${encodeURIComponent(value)}` },
      { cookie: `a_session_${PROJECT}_legacy=${encodeURIComponent(value)}` },
      { 'x-fallback-cookies': JSON.stringify({ [`a_session_${PROJECT}`]: value }) },
    ];
    for (const way of ways) {
      const me = await browser(server, 'GET', '/account', undefined, way);
      expect(me.status).toBe(200);
      expect(((await me.json()) as { $id: string }).$id).toBe('ada');
    }
    // app/controllers/shared/api.php:474-486 at 1.5.0: no second sign-in while signed in.
    const again = await browser(
      server,
      'POST',
      '/account/sessions/email',
      { email: 'ada@example.com', password: PASSWORD },
      { 'x-fallback-cookies': JSON.stringify({ [`a_session_${PROJECT}`]: value }) },
    );
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ type: 'user_session_already_exists', code: 401 });
  });

  it('refuses a wrong password and an unknown email with 401 user_invalid_credentials', async () => {
    await signUpAda();
    for (const body of [
      { email: 'ada@example.com', password: 'wrong-password' },
      { email: 'nobody@example.com', password: PASSWORD },
    ]) {
      const res = await browser(server, 'POST', '/account/sessions/email', body);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        message: 'Invalid credentials. Please check the email and password.',
        code: 401,
        type: 'user_invalid_credentials',
        version: '1.5.0',
      });
    }
  });

  it('signs out: the current session is deleted, both cookies expire and X-Fallback-Cookies is []', async () => {
    await signUpAda();
    const signIn = await browser(server, 'POST', '/account/sessions/email', { email: 'ada@example.com', password: PASSWORD });
    const cookie = { cookie: `a_session_${PROJECT}=${encodeURIComponent(cookieValue(signIn, `a_session_${PROJECT}`))}` };
    const out = await browser(server, 'DELETE', '/account/sessions/current', {}, cookie);
    expect(out.status).toBe(204);
    expect(out.headers.get('x-fallback-cookies')).toBe('[]');
    const expired = out.headers.getSetCookie();
    expect(expired).toHaveLength(2);
    for (const line of expired) expect(line).toMatch(/^a_session_life-project(_legacy)?=; expires=.+; Max-Age=0; path=\/; httponly/);
    const after = await browser(server, 'GET', '/account', undefined, cookie);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { message: string }).message).toBe('User (role: guests) missing scope (account)');
  });

  it('hands a key the session secret, which then works as X-Appwrite-Session', async () => {
    await signUpAda();
    const res = await server.call('POST', '/account/sessions/email', { body: { email: 'ada@example.com', password: PASSWORD } });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { secret: string };
    expect(session.secret).toBe(cookieValue(res, `a_session_${PROJECT}`.replace(PROJECT, 'test-project')));
    const me = await fetch(`${server.endpoint}/account`, { headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-session': session.secret } });
    expect(me.status).toBe(200);
  });
});

describe.each(SDKS)('%s: the account life cycle and the outbox', (_name, load) => {
  let server: TestServer;
  let sdk: Sdk;
  let key: Sdk;
  let stateDir: string;
  const guest = (): Sdk => new sdk.Client().setEndpoint(server.endpoint).setProject(PROJECT);
  const as = (session: string): Sdk => guest().setSession(session);
  const outbox = async (): Promise<OutboxMessage[]> =>
    ((await (await fetch(`${server.url}/__vcr/outbox`, { headers: { 'x-vcr-admin': '1' } })).json()) as { messages: OutboxMessage[] }).messages;
  const last = async (kind: OutboxMessage['kind']): Promise<OutboxMessage> => (await outbox()).filter((m) => m.kind === kind).at(-1)!;

  async function signUpAndIn(email: string, password = PASSWORD): Promise<{ userId: string; session: string }> {
    const user = await new sdk.Account(guest()).create(sdk.ID.unique(), email, password, 'Grace');
    const { secret } = await new sdk.Account(key).createEmailPasswordSession(email, password);
    return { userId: user.$id, session: secret };
  }

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'vcr-account-state-'));
    server = await startTestServer({ state: join(stateDir, 'state.json') });
    sdk = await load();
    key = guest().setKey('any-key');
  });
  afterAll(async () => {
    await server.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('lists, reads, extends and deletes the sessions of the signed-in user', async () => {
    const { session } = await signUpAndIn(`sessions-${Date.now()}@example.com`);
    const account = new sdk.Account(as(session));
    await new sdk.Account(key).createEmailPasswordSession((await account.get()).email, PASSWORD);
    const list = await account.listSessions();
    expect(list.total).toBe(2);
    expect(list.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    for (const s of list.sessions) expect(s.secret).toBe('');
    const current = await account.getSession('current');
    expect(current.current).toBe(true);
    const updated = await account.updateSession('current');
    expect(updated.$id).toBe(current.$id);
    const other = list.sessions.find((s: { current: boolean }) => !s.current);
    await account.deleteSession(other.$id);
    expect((await account.listSessions()).total).toBe(1);
    expect(await refusal(account.getSession('no-such-session'))).toMatchObject({ code: 404, type: 'user_session_not_found' });
    await account.deleteSessions();
    expect(await refusal(account.get())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
  });

  it('updates name, prefs, email and phone (password checked, verification reset) and the password (old one checked)', async () => {
    const email = `profile-${Date.now()}@example.com`;
    const { session } = await signUpAndIn(email);
    const account = new sdk.Account(as(session));
    expect((await account.updateName('Grace H')).name).toBe('Grace H');
    await account.updatePrefs({ theme: 'dark', n: 1 });
    expect(await account.getPrefs()).toEqual({ theme: 'dark', n: 1 });
    expect(await refusal(account.updateEmail(`new-${email}`, 'wrong-password'))).toEqual({
      code: 401,
      type: 'user_invalid_credentials',
      message: 'Invalid credentials. Please check the email and password.',
    });
    const verified = await new sdk.Users(key).updateEmailVerification((await account.get()).$id, true);
    expect(verified.emailVerification).toBe(true);
    const moved = await account.updateEmail(`new-${email}`, PASSWORD);
    expect(moved.email).toBe(`new-${email}`);
    expect(moved.emailVerification).toBe(false);
    expect(moved.password).toBeUndefined();
    // Another account's email is its email target's identifier: 409 (account.php:2634-2640 at 1.5.0;
    // tests/e2e/Services/Account/AccountCustomClientTest.php:1650, testConvertAnonymousAccount).
    await new sdk.Account(guest()).create(sdk.ID.unique(), `taken-${email}`, PASSWORD);
    expect(await refusal(account.updateEmail(`taken-${email}`, PASSWORD))).toEqual({
      code: 409,
      type: 'user_target_already_exists',
      message: 'A target with the same ID already exists.',
    });
    const phoned = await account.updatePhone('+14155550100' + String(Date.now()).slice(-2), PASSWORD);
    expect(phoned.phoneVerification).toBe(false);
    expect(await refusal(account.updatePassword('Another-Password-1', 'wrong-old'))).toMatchObject({ code: 401, type: 'user_invalid_credentials' });
    await account.updatePassword('Another-Password-1', PASSWORD);
    expect(await refusal(new sdk.Account(key).createEmailPasswordSession(`new-${email}`, PASSWORD))).toMatchObject({
      code: 401,
      type: 'user_invalid_credentials',
    });
    expect((await new sdk.Account(key).createEmailPasswordSession(`new-${email}`, 'Another-Password-1')).userId).toBe(moved.$id);
  });

  it('renames the email target of an account that changes its email, and makes none for a phone it never had (account.php:2642-2651, 2723-2732)', async () => {
    const email = `targets-${Date.now()}@example.com`;
    const { userId, session } = await signUpAndIn(email);
    const account = new sdk.Account(as(session));
    await account.updateEmail(`moved-${email}`, PASSWORD);
    await account.updatePhone(`+1415555${String(Date.now()).slice(-4)}`, PASSWORD);
    const { targets } = await new sdk.Users(key).listTargets(userId);
    expect(targets.map((t: { providerType: string; identifier: string }) => [t.providerType, t.identifier])).toEqual([['email', `moved-${email}`]]);
  });

  it('converts an anonymous account with an email and password: no email target, the password set, a taken email 409', async () => {
    const email = `anonymous-${Date.now()}@example.com`;
    const anonymous = await new sdk.Account(key).createAnonymousSession();
    const account = new sdk.Account(as(anonymous.secret));
    await new sdk.Account(guest()).create(sdk.ID.unique(), `taken-${email}`, PASSWORD);
    expect(await refusal(account.updateEmail(`taken-${email}`, PASSWORD))).toMatchObject({ code: 409, type: 'user_target_already_exists' });
    const converted = await account.updateEmail(email, PASSWORD);
    expect(converted.email).toBe(email);
    expect((await new sdk.Users(key).listTargets(anonymous.userId)).total).toBe(0);
    expect((await new sdk.Account(key).createEmailPasswordSession(email, PASSWORD)).userId).toBe(anonymous.userId);
  });

  it('blocks the user who updates their status: they can no longer sign in', async () => {
    const email = `blocked-${Date.now()}@example.com`;
    const { session } = await signUpAndIn(email);
    const blocked = await new sdk.Account(as(session)).updateStatus();
    expect(blocked.status).toBe(false);
    expect(await refusal(new sdk.Account(key).createEmailPasswordSession(email, PASSWORD))).toMatchObject({ code: 401, type: 'user_blocked' });
  });

  it('signs in anonymously, then turns the anonymous user into one with an email and password', async () => {
    const res = await fetch(`${server.endpoint}/account/sessions/anonymous`, {
      method: 'POST',
      headers: { 'x-appwrite-project': PROJECT, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { provider: string; secret: string; userId: string };
    expect(session).toMatchObject({ provider: 'anonymous', secret: '' });
    const value = JSON.parse(res.headers.get('x-fallback-cookies')!)[`a_session_${PROJECT}`] as string;
    const account = new sdk.Account(as(value));
    expect((await account.get()).email).toBe('');
    const email = `anon-${Date.now()}@example.com`;
    expect((await account.updateEmail(email, PASSWORD)).email).toBe(email);
    expect((await new sdk.Account(key).createEmailPasswordSession(email, PASSWORD)).userId).toBe(session.userId);
  });

  it('signs in with an email code from the outbox; the code goes to a key only, and a made-up one is refused', async () => {
    const email = `otp-${Date.now()}@example.com`;
    const asGuest = await new sdk.Account(guest()).createEmailToken(sdk.ID.unique(), email);
    expect(asGuest.secret).toBe('');
    const message = await last('email-otp');
    expect(message).toMatchObject({ channel: 'email', to: email, userId: asGuest.userId, url: null });
    expect(message.secret).toMatch(/^\d{6}$/);
    const withKey = await new sdk.Account(key).createEmailToken(asGuest.userId, email);
    expect(withKey.secret).toMatch(/^\d{6}$/);
    expect(withKey.secret).toBe((await last('email-otp')).secret);
    expect(await refusal(new sdk.Account(guest()).createSession(asGuest.userId, '000000x'))).toEqual({
      code: 401,
      type: 'user_invalid_token',
      message: 'Invalid token passed in the request.',
    });
    expect(await refusal(new sdk.Account(guest()).createSession('no-such-user', message.secret))).toMatchObject({ code: 401, type: 'user_invalid_token' });
    const session = await new sdk.Account(guest()).createSession(asGuest.userId, message.secret);
    expect(session).toMatchObject({ userId: asGuest.userId, provider: 'email', factors: ['email'], secret: '' });
    // A token is spent by its use.
    expect(await refusal(new sdk.Account(guest()).createSession(asGuest.userId, message.secret))).toMatchObject({ code: 401, type: 'user_invalid_token' });
  });

  it('signs in with a magic link from the outbox, which verifies the email', async () => {
    const email = `magic-${Date.now()}@example.com`;
    const token = await new sdk.Account(key).createMagicURLToken(sdk.ID.unique(), email, 'http://127.0.0.1:5173/auth/magic?lang=en');
    expect(token.secret).toHaveLength(64);
    const message = await last('magic-url');
    const link = new URL(message.url!);
    expect(link.origin + link.pathname).toBe('http://127.0.0.1:5173/auth/magic');
    expect(Object.fromEntries(link.searchParams)).toEqual({ lang: 'en', userId: token.userId, secret: token.secret, expire: token.expire, project: PROJECT });
    const session = await new sdk.Account(guest()).updateMagicURLSession(link.searchParams.get('userId'), link.searchParams.get('secret'));
    expect(session.provider).toBe('magic-url');
    expect((await new sdk.Users(key).get(token.userId)).emailVerification).toBe(true);
  });

  it('signs in with a phone code from the outbox, which verifies the phone', async () => {
    const phone = `+1415555${String(Date.now()).slice(-4)}`;
    const token = await new sdk.Account(guest()).createPhoneToken(sdk.ID.unique(), phone);
    const message = await last('phone-otp');
    expect(message).toMatchObject({ channel: 'sms', to: phone, userId: token.userId });
    expect(await refusal(new sdk.Account(guest()).updatePhoneSession(token.userId, '123'))).toMatchObject({ code: 401, type: 'user_invalid_token' });
    const session = await new sdk.Account(guest()).updatePhoneSession(token.userId, message.secret);
    expect(session).toMatchObject({ provider: 'phone', factors: ['phone'] });
    expect((await new sdk.Users(key).get(token.userId)).phoneVerification).toBe(true);
  });

  it('verifies an email and recovers a password from the links in the outbox; made-up secrets are refused', async () => {
    const email = `verify-${Date.now()}@example.com`;
    const { userId, session } = await signUpAndIn(email);
    const account = new sdk.Account(as(session));
    const created = await account.createVerification('http://127.0.0.1:5173/verify');
    expect(created.secret).toBe('');
    const verification = await last('email-verification');
    const link = new URL(verification.url!);
    expect(link.searchParams.get('userId')).toBe(userId);
    expect(await refusal(account.updateVerification(userId, 'f'.repeat(256)))).toEqual({
      code: 401,
      type: 'user_invalid_token',
      message: 'Invalid token passed in the request.',
    });
    await account.updateVerification(userId, link.searchParams.get('secret'));
    expect((await account.get()).emailVerification).toBe(true);
    expect(await refusal(account.createVerification('http://127.0.0.1:5173/verify'))).toMatchObject({ code: 409, type: 'user_email_already_verified' });

    await new sdk.Account(guest()).createRecovery(email, 'http://127.0.0.1:5173/recover');
    const recovery = await last('recovery');
    expect(recovery.to).toBe(email);
    const recoverLink = new URL(recovery.url!);
    expect(await refusal(new sdk.Account(guest()).updateRecovery(userId, 'made-up', 'Recovered-Password-1'))).toMatchObject({
      code: 401,
      type: 'user_invalid_token',
    });
    await new sdk.Account(guest()).updateRecovery(userId, recoverLink.searchParams.get('secret'), 'Recovered-Password-1');
    expect((await new sdk.Account(key).createEmailPasswordSession(email, 'Recovered-Password-1')).userId).toBe(userId);
    expect(await refusal(new sdk.Account(guest()).createRecovery(`nobody-${email}`, 'http://127.0.0.1:5173/recover'))).toMatchObject({
      code: 404,
      type: 'user_not_found',
    });
  });

  it('lists the outbox newest last through GET /__vcr/outbox and server.outbox(), and a reset clears it', async () => {
    for (const n of [1, 2, 3]) {
      await new sdk.Account(guest()).createMagicURLToken(sdk.ID.unique(), `outbox-magic-${n}@example.com`, 'http://127.0.0.1:5173/m');
      await new sdk.Account(guest()).createEmailToken(sdk.ID.unique(), `outbox-code-${n}@example.com`);
    }
    const listed = await outbox();
    expect(listed).toEqual(server.outbox());
    expect(listed.length).toBeGreaterThan(5);
    const times = listed.map((m) => m.createdAt);
    expect([...times].sort()).toEqual(times);
    const wrongMethod = await fetch(`${server.url}/__vcr/outbox`, { method: 'POST', headers: { 'x-vcr-admin': '1' } });
    expect(wrongMethod.status).toBe(405);
    await server.reset();
    expect(server.outbox()).toEqual([]);
  });
});

describe.each(SDKS)('%s: the state file after a sign-in life cycle', (_name, load) => {
  it('holds no password, session secret, cookie value, token, code or JWT, yet holds the user', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-account-file-'));
    const file = join(dir, 'state.json');
    const server = await startTestServer({ state: file });
    const sdk = await load();
    const guest = (): Sdk => new sdk.Client().setEndpoint(server.endpoint).setProject(PROJECT);
    const email = `file-${Date.now()}@example.com`;
    try {
      await new sdk.Account(guest()).create(sdk.ID.unique(), email, PASSWORD);
      const { secret: session } = await new sdk.Account(guest().setKey('k')).createEmailPasswordSession(email, PASSWORD);
      const { jwt } = await new sdk.Account(guest().setSession(session)).createJWT();
      await new sdk.Account(guest().setSession(session)).createVerification('http://127.0.0.1:5173/v');
      await new sdk.Account(guest()).createMagicURLToken(sdk.ID.unique(), `magic-${email}`, 'http://127.0.0.1:5173/m');
      await new sdk.Account(guest()).createEmailToken(sdk.ID.unique(), `otp-${email}`);
      const secrets = [
        PASSWORD,
        session,
        (JSON.parse(Buffer.from(session, 'base64').toString()) as { secret: string }).secret,
        jwt,
        ...server.outbox().map((m) => (/^\d+$/.test(m.secret) ? `"${m.secret}"` : m.secret)),
      ];
      expect(secrets).toHaveLength(7);
      await server.stop();
      const text = await readFile(file, 'utf8');
      expect(text).toContain(email);
      for (const secret of secrets) expect(text).not.toContain(secret);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.each(SDKS)('%s: a cassette recorded in front of the sign-in life cycle', (_name, load) => {
  it('holds no password, session secret, cookie value, token secret, code or JWT', async () => {
    const upstream = await startTestServer();
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-account-cassette-'));
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes });
    const sdk = await load();
    const guest = (): Sdk => new sdk.Client().setEndpoint(recorder.endpoint).setProject(PROJECT);
    const key = guest().setKey('k');
    const email = `recorded-${Date.now()}@example.com`;
    try {
      await new sdk.Account(guest()).create(sdk.ID.unique(), email, PASSWORD);
      const { secret: session } = await new sdk.Account(key).createEmailPasswordSession(email, PASSWORD);
      const { jwt } = await new sdk.Account(guest().setSession(session)).createJWT();
      const magic = await new sdk.Account(key).createMagicURLToken(sdk.ID.unique(), `magic-${email}`, 'http://127.0.0.1:5173/m');
      const otp = await new sdk.Account(key).createEmailToken(sdk.ID.unique(), `otp-${email}`);
      await new sdk.Account(guest()).createSession(otp.userId, otp.secret);
      // @note A 6-digit code is looked for as a JSON string: six digits in a row also occur in dates and lengths.
      const secrets = [
        PASSWORD,
        session,
        (JSON.parse(Buffer.from(session, 'base64').toString()) as { secret: string }).secret,
        jwt,
        magic.secret,
        `"${otp.secret}"`,
      ];
      for (const secret of secrets) expect(secret.length).toBeGreaterThan(5);
      await recorder.close();
      const text = await readFile(join(cassettes, 'default.json'), 'utf8');
      expect(text).toContain(email);
      expect(text).toContain('/v1/account/sessions/email');
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(encodeURIComponent(secret));
      }
    } finally {
      await upstream.stop();
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});
