import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCassette, type CassetteFile } from '../src/cassette/cassette-format.js';
import { startRecorder, startServer } from '../src/index.js';
import { useFakeUpstream } from './support/fake-upstream.js';
import { totpCode, totpStep } from './support/totp.js';

const API_KEY = 'standard_volatile0values0key000000000000';
const PASSWORD = 'mfa-user password 1234';

interface Step {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  json: Record<string, unknown> | null;
}

/**
 * A TOTP sign-in: a user and a session made with the API key, an authenticator added and verified, a
 * challenge answered, a JWT made and used, a token made. `code` gives the TOTP code of the moment.
 */
async function signIn(endpoint: string, code: (secret: string) => string, totpSecret: string | null): Promise<Record<string, Step>> {
  const steps: Record<string, Step> = {};
  const call = async (name: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Step> => {
    const res = await fetch(`${endpoint}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-appwrite-project': 'p1', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const step = { name, method, path, body, status: res.status, json: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
    steps[name] = step;
    return step;
  };
  const key = { 'x-appwrite-key': API_KEY };
  await call('user', 'POST', '/users', { userId: 'mfa-user', email: 'mfa@example.com', password: PASSWORD, name: 'Mfa' }, key);
  const session = await call('session', 'POST', '/users/mfa-user/sessions', undefined, key);
  const asUser = { 'x-appwrite-session': String(session.json?.secret) };
  const authenticator = await call('authenticator', 'POST', '/account/mfa/authenticators/totp', undefined, asUser);
  // While recording the secret is the real one; in replay the app knows it from its own fixtures.
  const secret = totpSecret ?? String(authenticator.json?.secret);
  await call('verify', 'PUT', '/account/mfa/authenticators/totp', { otp: code(secret) }, asUser);
  const challenge = await call('challenge', 'POST', '/account/mfa/challenge', { factor: 'totp' }, asUser);
  await call('answer', 'PUT', '/account/mfa/challenge', { challengeId: challenge.json?.$id, otp: code(secret) }, asUser);
  const jwt = await call('jwt', 'POST', '/account/jwt', undefined, asUser);
  await call('account', 'GET', '/account', undefined, { 'x-appwrite-jwt': String(jwt.json?.jwt) });
  await call('token', 'POST', '/users/mfa-user/tokens', undefined, key);
  return steps;
}

describe('values that cannot repeat: TOTP codes and the secrets of answers', () => {
  const fake = useFakeUpstream('vcr-volatile-', API_KEY);
  let cassettes: string;
  let recorded: Record<string, Step>;
  let replayed: Record<string, Step>;
  let text: string;
  let cassette: CassetteFile;
  let recordedCode: string;
  let replayedCode: string;
  let misses: number;

  beforeAll(async () => {
    cassettes = join(fake.folder, 'cassettes');
    const step = totpStep();
    const recorder = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, cassette: 'mfa' });
    let secret = '';
    try {
      recorded = await signIn(
        recorder.endpoint,
        (s) => {
          secret = s;
          return totpCode(s, step);
        },
        null,
      );
    } finally {
      await recorder.close();
    }
    recordedCode = totpCode(secret, step);
    // A minute later: two steps on; a step whose code happens to equal the recorded one is skipped.
    let later = step + 2;
    while (totpCode(secret, later) === recordedCode) later++;
    replayedCode = totpCode(secret, later);
    text = await readFile(join(cassettes, 'mfa.json'), 'utf8');
    cassette = parseCassette(text, 'mfa.json');
    const replay = await startServer({ port: 0, cassettes, cassette: 'mfa', fallback: 'none', failOnMiss: true });
    try {
      replayed = await signIn(replay.endpoint, () => replayedCode, secret);
    } finally {
      misses = (await replay.close()).misses;
    }
  }, 60_000);

  it('records a TOTP sign-in and replays it a minute later with a new code: the codes are redacted, and so left out of matching', () => {
    for (const name of ['user', 'session', 'authenticator', 'verify', 'challenge', 'answer'])
      expect([name, recorded[name]?.status]).toEqual([name, name === 'answer' ? 204 : name === 'authenticator' || name === 'verify' ? 200 : 201]);
    expect(replayedCode).not.toBe(recordedCode);
    // The upstream checked the recorded codes; the replayed ones would fail there.
    for (const name of Object.keys(recorded)) expect([name, replayed[name]?.status]).toEqual([name, recorded[name]?.status]);
    expect(misses).toBe(0);
    expect(replayed.verify?.json).toMatchObject({ $id: 'mfa-user', mfa: true });
    const stored = cassette.interactions.filter((i) => i.operationId === 'accountUpdateMfaAuthenticator' || i.operationId === 'accountUpdateMfaChallenge');
    expect(stored.map((i) => (i.request.body?.kind === 'json' ? (i.request.body.value as { otp?: unknown }).otp : null))).toEqual(['[redacted]', '[redacted]']);
  });

  it('keeps no secret in the cassette: no code, no TOTP secret, no session secret, no JWT, no token secret', () => {
    const secrets = [
      recordedCode,
      recorded.authenticator?.json?.secret,
      recorded.session?.json?.secret,
      recorded.jwt?.json?.jwt,
      String(recorded.jwt?.json?.jwt).split('.')[2],
      recorded.token?.json?.secret,
    ];
    for (const secret of secrets) {
      expect(typeof secret === 'string' && secret.length >= 6).toBe(true);
      expect(text).not.toContain(secret as string);
    }
  });

  it('stores the shape of a secret an app reads back, and replays a fresh value of that shape', () => {
    const answer = (operationId: string) => cassette.interactions.find((i) => i.operationId === operationId)?.response.body;
    const sessionId = String(recorded.session?.json?.$id);
    expect(answer('usersCreateSession')).toMatchObject({ value: { secret: '[redacted:hex128]' } });
    // Six random hex digits are all decimal digits one time in 17 ((10/16)^6): the narrowest class is kept.
    expect(answer('usersCreateToken')).toMatchObject({ value: { secret: expect.stringMatching(/^\[redacted:(hex|digits)6\]$/) } });
    expect(answer('accountCreateJWT')).toEqual({ kind: 'json', value: { jwt: `[redacted:jwt userId=mfa-user sessionId=${sessionId}]` } });
    // users.createToken: `Auth::tokenGenerator($length)`, hex of the asked length (app/controllers/api/users.php at 1.5.0, POST /v1/users/:userId/tokens).
    expect(replayed.token?.json?.secret).toMatch(/^[0-9a-f]{6}$/);
    expect(replayed.session?.json?.secret).toMatch(/^[0-9a-f]{128}$/);
    expect(replayed.session?.json?.secret).not.toBe(recorded.session?.json?.secret);
    expect(replayed.authenticator?.json?.secret).toMatch(/^[A-Z2-7]{16}$/);
  });

  it('replays a JWT that decodes to the recorded user and session and authenticates the following request', () => {
    const jwt = String(replayed.jwt?.json?.jwt);
    const [header, payload, signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as { userId: string; sessionId: string; exp: number };
    expect(claims).toMatchObject({ userId: 'mfa-user', sessionId: String(recorded.session?.json?.$id) });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(replayed.account?.status).toBe(200);
    expect(replayed.account?.json).toMatchObject({ $id: 'mfa-user', email: 'mfa@example.com' });
  });
});
