import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/index.js';
import { refusal, SDKS, type Sdk } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';
import { totpCode, totpStep } from './support/totp.js';

const PROJECT = 'mfa-project';
const PASSWORD = 'password-1234';
const MORE_FACTORS = { code: 401, type: 'user_more_factors_required', message: 'More factors are required to complete the sign in process.' };
const INVALID_TOKEN = { code: 401, type: 'user_invalid_token', message: 'Invalid token passed in the request.' };

/**
 * Calls with the current TOTP code, once more with the next one when the 30-second step turned while the
 * call was on its way: Appwrite takes the current step's code only (Challenge/TOTP.php:18 at 1.5.0).
 */
async function withCode<T>(secret: string, call: (code: string) => Promise<T>): Promise<T> {
  const step = totpStep();
  try {
    return await call(totpCode(secret, step));
  } catch (err) {
    if (totpStep() === step) throw err;
    return call(totpCode(secret, totpStep()));
  }
}

describe.each(SDKS)('%s: MFA against the stateful replay', (_name, load) => {
  let server: TestServer;
  let sdk: Sdk;
  let dir: string;
  const client = (session?: string): Sdk => {
    const c = new sdk.Client().setEndpoint(server.endpoint).setProject(PROJECT);
    return session ? c.setSession(session) : c;
  };
  const keyClient = (): Sdk => new sdk.Client().setEndpoint(server.endpoint).setProject(PROJECT).setKey('any-key');
  const outbox = async (): Promise<OutboxMessage[]> =>
    ((await (await fetch(`${server.url}/__vcr/outbox`, { headers: { 'x-vcr-admin': '1' } })).json()) as { messages: OutboxMessage[] }).messages;
  /** Signs in by password through the key, as server-side rendering does; returns the session value. */
  const signIn = async (email: string): Promise<string> => (await new sdk.Account(keyClient()).createEmailPasswordSession(email, PASSWORD)).secret as string;

  /** A user with a verified authenticator and MFA on; returns the TOTP secret and the user's ID. */
  async function mfaUser(email: string): Promise<{ secret: string; userId: string }> {
    const user = await new sdk.Account(client()).create(sdk.ID.unique(), email, PASSWORD);
    const account = new sdk.Account(client(await signIn(email)));
    const authenticator = await account.createMfaAuthenticator(sdk.AuthenticatorType.Totp);
    expect(authenticator.uri).toBe(`otpauth://totp/${PROJECT}%3A${encodeURIComponent(email)}?issuer=${PROJECT}&secret=${authenticator.secret}`);
    expect(authenticator.secret).toMatch(/^[A-Z2-7]{103}$/);
    // account.php:3639-3646 at 1.5.0: a code of another step is refused.
    expect(await refusal(account.updateMfaAuthenticator(sdk.AuthenticatorType.Totp, totpCode(authenticator.secret, totpStep() + 3)))).toEqual(INVALID_TOKEN);
    const verified = await withCode(authenticator.secret, (code): Promise<{ $id: string }> => account.updateMfaAuthenticator(sdk.AuthenticatorType.Totp, code));
    expect(verified.$id).toBe(user.$id);
    expect(await account.listMfaFactors()).toEqual({ totp: true, phone: false, email: false });
    expect((await account.updateMFA(true)).mfa).toBe(true);
    return { secret: authenticator.secret, userId: user.$id };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-mfa-'));
    server = await startTestServer({ state: join(dir, 'state.json') });
    sdk = await load();
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks a TOTP user for a second factor after sign-in and lets the account in once the challenge is met', async () => {
    const email = `totp-${Date.now()}@example.com`;
    const { secret } = await mfaUser(email);
    const account = new sdk.Account(client(await signIn(email)));
    // app/controllers/shared/api.php:283-295 at 1.5.0: one factor of two, every route outside the `mfa` group refused.
    expect(await refusal(account.get())).toEqual(MORE_FACTORS);
    expect(await refusal(new sdk.Teams(client(await signIn(email))).list())).toMatchObject({ code: 401, type: 'user_more_factors_required' });
    expect(await account.listMfaFactors()).toEqual({ totp: true, phone: false, email: false });
    const challenge = await account.createMfaChallenge(sdk.AuthenticationFactor.Totp);
    expect(Object.keys(challenge).sort()).toEqual(['$createdAt', '$id', 'expire', 'userId']);
    expect(await refusal(account.updateMfaChallenge(challenge.$id, totpCode(secret, totpStep() - 2)))).toEqual(INVALID_TOKEN);
    await withCode(secret, (code) => account.updateMfaChallenge(challenge.$id, code));
    expect((await account.get()).email).toBe(email);
    expect((await account.getSession('current')).factors).toEqual(['password', 'totp']);
  });

  it('takes a recovery code once as the second factor', async () => {
    const email = `recovery-${Date.now()}@example.com`;
    await mfaUser(email);
    const first = new sdk.Account(client(await signIn(email)));
    expect(await refusal(first.createMfaRecoveryCodes())).toEqual(MORE_FACTORS);
    const { userId } = await new sdk.Account(client(await signIn(email))).createMfaChallenge(sdk.AuthenticationFactor.Recoverycode);
    const { recoveryCodes } = await new sdk.Users(keyClient()).createMfaRecoveryCodes(userId);
    expect(recoveryCodes).toHaveLength(6);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-f]{10}$/);
    const account = new sdk.Account(client(await signIn(email)));
    const challenge = await account.createMfaChallenge(sdk.AuthenticationFactor.Recoverycode);
    expect(await refusal(account.updateMfaChallenge(challenge.$id, 'not-a-code'))).toEqual(INVALID_TOKEN);
    await account.updateMfaChallenge(challenge.$id, recoveryCodes[0]);
    expect((await account.get()).email).toBe(email);
    // account.php:3753-3781 and shared/api/auth.php:12-29 at 1.5.0: readable right after a challenge, the used code gone.
    expect((await account.getMfaRecoveryCodes()).recoveryCodes).toEqual(recoveryCodes.slice(1));
    const again = new sdk.Account(client(await signIn(email)));
    const reuse = await again.createMfaChallenge(sdk.AuthenticationFactor.Recoverycode);
    expect(await refusal(again.updateMfaChallenge(reuse.$id, recoveryCodes[0]))).toEqual(INVALID_TOKEN);
  });

  it('sends an email challenge to the outbox for a verified email, and refuses a wrong code', async () => {
    const email = `email-${Date.now()}@example.com`;
    const user = await new sdk.Users(keyClient()).create(sdk.ID.unique(), email, undefined, PASSWORD);
    await new sdk.Users(keyClient()).updateEmailVerification(user.$id, true);
    await new sdk.Users(keyClient()).updateMfa(user.$id, true);
    const account = new sdk.Account(client(await signIn(email)));
    expect(await refusal(account.get())).toEqual(MORE_FACTORS);
    const challenge = await account.createMfaChallenge(sdk.AuthenticationFactor.Email);
    const message = (await outbox()).filter((m) => m.kind === 'mfa-email').at(-1)!;
    expect(message).toMatchObject({ channel: 'email', to: email, userId: user.$id });
    expect(message.secret).toMatch(/^\d{6}$/);
    expect(await refusal(account.updateMfaChallenge(challenge.$id, message.secret === '000000' ? '111111' : '000000'))).toEqual(INVALID_TOKEN);
    await account.updateMfaChallenge(challenge.$id, message.secret);
    expect((await account.get()).$id).toBe(user.$id);
  });

  it('refuses an email challenge for an unverified email as 1.5.0 does, with the type its error table lacks', async () => {
    const email = `unverified-${Date.now()}@example.com`;
    await new sdk.Account(client()).create(sdk.ID.unique(), email, PASSWORD);
    const account = new sdk.Account(client(await signIn(email)));
    // account.php:3933-3935 and general.php:714-731 at 1.5.0: USER_EMAIL_NOT_VERIFIED is not in errors.php, so 500 `Server Error`.
    expect(await refusal(account.createMfaChallenge(sdk.AuthenticationFactor.Email))).toEqual({
      code: 500,
      type: 'user_email_not_verified',
      message: 'Server Error',
    });
  });

  it('lets a key list factors and remove the authenticator, and keeps no TOTP secret or recovery code in the state file', async () => {
    const email = `admin-${Date.now()}@example.com`;
    const { secret, userId } = await mfaUser(email);
    const users = new sdk.Users(keyClient());
    const { recoveryCodes } = await users.createMfaRecoveryCodes(userId);
    expect(await refusal(users.createMfaRecoveryCodes(userId))).toMatchObject({ code: 409, type: 'user_recovery_codes_already_exists' });
    expect(await users.listMfaFactors(userId)).toEqual({ totp: true, phone: false, email: false });
    await users.deleteMfaAuthenticator(userId, sdk.AuthenticatorType.Totp);
    expect(await users.listMfaFactors(userId)).toEqual({ totp: false, phone: false, email: false });
    expect(await refusal(users.deleteMfaAuthenticator(userId, sdk.AuthenticatorType.Totp))).toEqual({
      code: 404,
      type: 'user_authenticator_not_found',
      message: 'Authenticator could not be found on the current user.',
    });
    // A second authenticator, left in the state file: its secret must not be there in clear either.
    const second = await new sdk.Account(client(await signIn(email))).createMfaChallenge(sdk.AuthenticationFactor.Recoverycode);
    expect(second.userId).toBe(userId);
    await server.stop();
    const text = await readFile(join(dir, 'state.json'), 'utf8');
    server = await startTestServer({ state: join(dir, 'state.json') });
    expect(text).toContain(userId);
    expect(text).not.toContain(secret);
    for (const code of recoveryCodes) expect(text).not.toContain(code);
    // Recovery codes are kept as digests: one still passes a challenge after the restart.
    const account = new sdk.Account(client(await signIn(email)));
    const challenge = await account.createMfaChallenge(sdk.AuthenticationFactor.Recoverycode);
    await account.updateMfaChallenge(challenge.$id, recoveryCodes[1]);
    expect((await account.get()).$id).toBe(userId);
  });
});

describe('node-appwrite 13.0.0: the OAuth2 token flow against the stateful replay', () => {
  let server: TestServer;
  let sdk: Sdk;
  beforeAll(async () => {
    server = await startTestServer();
    sdk = await SDKS[0]![1]();
  });
  afterAll(() => server.stop());
  const guest = (): Sdk => new sdk.Client().setEndpoint(server.endpoint).setProject(PROJECT);

  it("redirects to success with a token of the provider's user, which createSession turns into a session", async () => {
    const account = new sdk.Account(guest());
    const location = new URL(await account.createOAuth2Token(sdk.OAuthProvider.Github, 'http://127.0.0.1:5173/done?from=app', 'http://127.0.0.1:5173/failed'));
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:5173/done');
    expect(location.searchParams.get('from')).toBe('app');
    const userId = location.searchParams.get('userId')!;
    const secret = location.searchParams.get('secret')!;
    // Auth::TOKEN_LENGTH_OAUTH2 at 1.5.0: 64 characters.
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // Through the key, as server-side rendering does: only a key gets the session's secret (account.php:60-165 at 1.5.0).
    const session = await new sdk.Account(guest().setKey('k')).createSession(userId, secret);
    expect(session).toMatchObject({ userId, provider: 'oauth2', factors: ['email'] });
    const me = await new sdk.Account(guest().setSession(session.secret as string)).get();
    expect(me).toMatchObject({ $id: userId, email: 'github-user@example.com', emailVerification: true });
    // The same provider's user the next time, with one identity.
    const again = new URL(await account.createOAuth2Token(sdk.OAuthProvider.Github, 'http://127.0.0.1:5173/done'));
    expect(again.searchParams.get('userId')).toBe(userId);
    const identities = await new sdk.Users(guest().setKey('k')).listIdentities();
    expect(identities.identities.filter((i: { userId: string }) => i.userId === userId)).toHaveLength(1);
    expect(await refusal(account.createSession(userId, secret))).toEqual({
      code: 401,
      type: 'user_invalid_token',
      message: 'Invalid token passed in the request.',
    });
  });

  it("refuses a failure URL without a host, as Appwrite's Host validator does", async () => {
    const res = await fetch(
      `${server.endpoint}/account/tokens/oauth2/github?success=${encodeURIComponent('http://127.0.0.1/ok')}&failure=${encodeURIComponent('mailto:someone')}`,
      { headers: { 'x-appwrite-project': PROJECT }, redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 400,
      type: 'general_argument_invalid',
      message: 'Invalid `failure` param: URL host must be one of: 127.0.0.1',
    });
  });
});
