import { createHmac, randomBytes, randomInt } from 'node:crypto';

/**
 * Secrets an app reads back from an answer (a token's `secret`, a session's `secret`, `createJWT`'s `jwt`)
 * are stored as a placeholder that keeps their shape and nothing else: `[redacted:hex6]`,
 * `[redacted:digits6]`, `[redacted:jwt userId=… sessionId=…]`. Replay answers a fresh value of that shape
 * in its place, so an app that checks the length, decodes the JWT or sends the secret back gets what a
 * real Appwrite would give it; the cassette keeps no secret.
 */

/** Answer fields whose placeholder keeps the value's shape. */
const SHAPED_FIELDS: ReadonlySet<string> = new Set(['secret', 'jwt']);

const PREFIX = '[redacted:';
const CLASSES = [
  { name: 'digits', test: /^[0-9]+$/, alphabet: '0123456789' },
  { name: 'hex', test: /^[0-9a-f]+$/, alphabet: '0123456789abcdef' },
  // Base32, as TOTP secrets are written.
  { name: 'base32', test: /^[A-Z2-7]+$/, alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567' },
  { name: 'alnum', test: /^[A-Za-z0-9]+$/, alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' },
] as const;
const SHAPED = /^\[redacted:(digits|hex|base32|alnum)(\d{1,4})\]$/;
const JWT_SHAPED = /^\[redacted:jwt(?: userId=([A-Za-z0-9._-]*) sessionId=([A-Za-z0-9._-]*))?\]$/;
const ID = /^[A-Za-z0-9._-]{0,64}$/;

/**
 * The placeholder for an answer's secret `value` under `key`; null when the field keeps the plain
 * placeholder (its shape is of no use, or tells too much).
 */
export function shapedPlaceholder(key: string, value: string): string | null {
  if (!SHAPED_FIELDS.has(key)) return null;
  if (key === 'jwt') {
    const claims = jwtClaims(value);
    return claims ? `${PREFIX}jwt userId=${claims.userId} sessionId=${claims.sessionId}]` : `${PREFIX}jwt]`;
  }
  if (value.length > 1024) return null;
  const found = CLASSES.find((c) => c.test.test(value));
  return found ? `${PREFIX}${found.name}${value.length}]` : null;
}

/** The user and session a JWT names (its payload is not secret; its signature is); null when it is not one. */
function jwtClaims(token: string): { userId: string; sessionId: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { userId?: unknown; sessionId?: unknown };
    const { userId, sessionId } = payload;
    if (typeof userId !== 'string' || typeof sessionId !== 'string' || !ID.test(userId) || !ID.test(sessionId)) return null;
    return { userId, sessionId };
  } catch {
    return null;
  }
}

/** True when a stored answer's JSON holds a shaped placeholder (checked once per recording). */
export function hasShapedPlaceholder(value: unknown): boolean {
  return JSON.stringify(value)?.includes(PREFIX) ?? false;
}

/** The answer with every shaped placeholder replaced by a fresh value of its shape. */
export function fillPlaceholders(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(PREFIX) ? fill(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fillPlaceholders);
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = fillPlaceholders(child);
  return out;
}

function fill(placeholder: string): string {
  const shaped = SHAPED.exec(placeholder);
  if (shaped) {
    const alphabet = (CLASSES.find((c) => c.name === shaped[1]) as (typeof CLASSES)[number]).alphabet;
    let out = '';
    for (let i = Number(shaped[2]); i > 0; i--) out += alphabet[randomInt(alphabet.length)];
    return out;
  }
  const jwt = JWT_SHAPED.exec(placeholder);
  if (jwt) return replayJwt({ userId: jwt[1] ?? '', sessionId: jwt[2] ?? '' });
  return placeholder;
}

/** Signs the JWTs replay answers; per process, as nothing outside it checks them. */
const JWT_KEY = randomBytes(32);

/**
 * A JWT for a replayed `createJWT`, shaped as Appwrite 1.5 makes it (app/controllers/api/account.php,
 * `POST /v1/account/jwt`: HS256, `userId` and `sessionId`, valid 900 s).
 * @note The one place that makes a replayed JWT: a signer that the stateful fallback also accepts goes here.
 */
export function replayJwt(claims: { userId: string; sessionId: string }, now = Date.now()): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ userId: claims.userId, sessionId: claims.sessionId, exp: Math.floor(now / 1000) + 900 })}`;
  return `${body}.${createHmac('sha256', JWT_KEY).update(body).digest('base64url')}`;
}
