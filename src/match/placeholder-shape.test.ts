import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, hasShapedPlaceholder, replayJwt, shapedPlaceholder } from './placeholder-shape.js';

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwtOf = (payload: object): string => `${base64url({ typ: 'JWT', alg: 'HS256' })}.${base64url(payload)}.c2lnbmF0dXJl`;
const decode = (jwt: string): unknown => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'));

/** The placeholders of secrets an app reads back: their shape is kept, nothing else. */
describe('shaped placeholders', () => {
  it('keeps the class and length of a secret or a jwt, and nothing for any other field', () => {
    expect(shapedPlaceholder('secret', '123456')).toBe('[redacted:digits6]');
    expect(shapedPlaceholder('secret', 'a1b2c3d4')).toBe('[redacted:hex8]');
    // TOTP secrets are base32: upper case and 2-7.
    expect(shapedPlaceholder('secret', 'JBSWY3DPEHPK3PXP')).toBe('[redacted:base3216]');
    expect(shapedPlaceholder('secret', 'Ab9')).toBe('[redacted:alnum3]');
    // Digits are also hex, hex also alnum: the narrowest class wins.
    expect(shapedPlaceholder('secret', '0')).toBe('[redacted:digits1]');
    expect(shapedPlaceholder('secret', 'f')).toBe('[redacted:hex1]');
    expect(shapedPlaceholder('secret', 'A')).toBe('[redacted:base321]');
    expect(shapedPlaceholder('secret', '8')).toBe('[redacted:digits1]');
    expect(shapedPlaceholder('secret', 'Z8')).toBe('[redacted:alnum2]');
    for (const key of ['password', 'apiKey', 'value', 'Secret', 'jwtx']) expect(shapedPlaceholder(key, '123456')).toBeNull();
  });

  it('gives no shape to a secret of other characters or longer than 1024', () => {
    expect(shapedPlaceholder('secret', 'a-b')).toBeNull();
    expect(shapedPlaceholder('secret', 'ab cd')).toBeNull();
    expect(shapedPlaceholder('secret', '12\n34')).toBeNull();
    expect(shapedPlaceholder('secret', '1'.repeat(1024))).toBe('[redacted:digits1024]');
    expect(shapedPlaceholder('secret', '1'.repeat(1025))).toBeNull();
  });

  it("keeps a JWT's userId and sessionId, and only the word jwt for a token that is not one", () => {
    expect(shapedPlaceholder('jwt', jwtOf({ userId: 'u-1.x_y', sessionId: 's1', exp: 1 }))).toBe('[redacted:jwt userId=u-1.x_y sessionId=s1]');
    expect(shapedPlaceholder('jwt', jwtOf({ userId: '', sessionId: '' }))).toBe('[redacted:jwt userId= sessionId=]');
    expect(shapedPlaceholder('jwt', jwtOf({ userId: 'a'.repeat(64), sessionId: 's' }))).toBe(`[redacted:jwt userId=${'a'.repeat(64)} sessionId=s]`);
    for (const token of [
      jwtOf({ userId: 'a'.repeat(65), sessionId: 's' }),
      jwtOf({ userId: 'u', sessionId: 'a b' }),
      jwtOf({ userId: 'u]', sessionId: 's' }),
      jwtOf({ userId: 'u' }),
      jwtOf({ sessionId: 's' }),
      jwtOf({ userId: 1, sessionId: 's' }),
      jwtOf({ userId: 'u', sessionId: null }),
      `${jwtOf({ userId: 'u', sessionId: 's' })}.extra`,
      'a.b',
      'a.!!notbase64json.c',
      'plain',
    ])
      expect(shapedPlaceholder('jwt', token)).toBe('[redacted:jwt]');
  });

  it('tells whether an answer holds a placeholder of either kind', () => {
    expect(hasShapedPlaceholder({ a: [{ secret: '[redacted:hex6]' }] })).toBe(true);
    expect(hasShapedPlaceholder({ jwt: '[redacted:jwt]' })).toBe(true);
    expect(hasShapedPlaceholder({ secret: '[redacted]' })).toBe(false);
    expect(hasShapedPlaceholder({ secret: 'redacted:hex6' })).toBe(false);
    expect(hasShapedPlaceholder(undefined)).toBe(false);
    expect(hasShapedPlaceholder(null)).toBe(false);
  });

  it('fills each placeholder with a fresh value of its class and length, at any depth, and leaves the rest as it is', () => {
    // Not placeholders of a shape: kept as they are.
    const kept = {
      plain: '[redacted]',
      other: '[redacted:digits]',
      toolong: '[redacted:digits12345]',
      unknown: '[redacted:octal6]',
      text: 'x[redacted:hex6]',
      after: '[redacted:hex6]x',
      jwtAfter: '[redacted:jwt]x',
      n: 7,
      none: null,
    };
    const filled = fillPlaceholders({
      a: '[redacted:digits6]',
      list: ['[redacted:hex32]', { deep: '[redacted:base3216]' }, 3, null, true],
      b: '[redacted:alnum40]',
      ...kept,
    }) as Record<string, unknown>;
    expect(filled.a).toMatch(/^[0-9]{6}$/);
    const list = filled.list as unknown[];
    expect(list[0]).toMatch(/^[0-9a-f]{32}$/);
    expect((list[1] as { deep: string }).deep).toMatch(/^[A-Z2-7]{16}$/);
    expect(list.slice(2)).toEqual([3, null, true]);
    expect(filled.b).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(filled).toMatchObject(kept);
    expect(fillPlaceholders('[redacted:digits0]')).toBe('');
    expect(fillPlaceholders(['[redacted:digits1]'])).toEqual([expect.stringMatching(/^[0-9]$/)]);
    expect(fillPlaceholders(5)).toBe(5);
    // Fresh each time: 40 random characters twice alike would be a constant.
    expect(fillPlaceholders('[redacted:alnum40]')).not.toBe(fillPlaceholders('[redacted:alnum40]'));
  });

  it('fills a JWT placeholder with a token naming the recorded user and session, valid 900 seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const jwt = fillPlaceholders('[redacted:jwt userId=u1 sessionId=s1]') as string;
    const after = Math.floor(Date.now() / 1000);
    const [header, , signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString('utf8'))).toEqual({ typ: 'JWT', alg: 'HS256' });
    const payload = decode(jwt) as { userId: string; sessionId: string; exp: number };
    expect(payload.userId).toBe('u1');
    expect(payload.sessionId).toBe('s1');
    expect(payload.exp).toBeGreaterThanOrEqual(before + 900);
    expect(payload.exp).toBeLessThanOrEqual(after + 900);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decode(fillPlaceholders('[redacted:jwt]') as string)).toMatchObject({ userId: '', sessionId: '' });
  });

  it('signs a replayed JWT with HS256 over its header and payload, and with the same key for every token', () => {
    const one = replayJwt({ userId: 'u', sessionId: 's' }, 1_000_000);
    expect(decode(one)).toEqual({ userId: 'u', sessionId: 's', exp: 1900 });
    expect(replayJwt({ userId: 'u', sessionId: 's' }, 1_000_999)).toBe(one);
    expect(replayJwt({ userId: 'u', sessionId: 's' }, 1_001_000)).not.toBe(one);
    const [header, payload, signature] = one.split('.') as [string, string, string];
    // Not signed with an empty key (which anyone could forge).
    expect(signature).not.toBe(createHmac('sha256', '').update(`${header}.${payload}`).digest('base64url'));
    expect(Buffer.from(signature, 'base64url')).toHaveLength(32);
  });
});
