import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a JWT of Appwrite carries (app/controllers/api/account.php at 1.5.0, `POST /account/jwt`). */
export interface JwtClaims {
  userId: string;
  sessionId: string;
}

/** A JWT lives 15 minutes, with 10 seconds of leeway (`new JWT(key, 'HS256', 900, 10)` in app/init.php at 1.5.0). */
export const JWT_SECONDS = 900;
const LEEWAY_SECONDS = 10;

/**
 * Signs and checks the JWTs of one state with HS256 under a key of its own, made at random and never
 * written anywhere: a token from another run, or one whose signature was made up, fails as Appwrite's would.
 * A failure is one of adhocore/jwt's messages (the library Appwrite 1.5 verifies with), so that
 * `Failed to verify JWT. <message>` reads as Appwrite's does.
 */
export class JwtSigner {
  readonly #key = randomBytes(32);

  sign(claims: JwtClaims, now = Date.now()): string {
    const header = encode({ typ: 'JWT', alg: 'HS256' });
    const payload = encode({ userId: claims.userId, sessionId: claims.sessionId, exp: Math.floor(now / 1000) + JWT_SECONDS });
    return `${header}.${payload}.${this.#mac(`${header}.${payload}`).toString('base64url')}`;
  }

  /** The claims of a token this signer made and that has not expired, or the reason it is refused. */
  verify(token: string, now = Date.now()): JwtClaims | { invalid: string } {
    const parts = token.split('.');
    if (parts.length < 3) return { invalid: 'Invalid token: Incomplete segments' };
    const [header, payload, signature] = parts as [string, string, string];
    const head = decode(header);
    if (head === null) return { invalid: 'JSON failed: Syntax error, malformed JSON' };
    if (typeof head.alg !== 'string' || head.alg === '') return { invalid: 'Invalid token: Missing header algo' };
    if (head.alg !== 'HS256') return { invalid: 'Invalid token: Unsupported header algo' };
    const expected = this.#mac(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { invalid: 'Invalid token: Signature failed' };
    const body = decode(payload);
    if (body === null) return { invalid: 'JSON failed: Syntax error, malformed JSON' };
    if (typeof body.exp === 'number' && Math.floor(now / 1000) >= body.exp + LEEWAY_SECONDS) return { invalid: 'Invalid token: Expired' };
    return { userId: typeof body.userId === 'string' ? body.userId : '', sessionId: typeof body.sessionId === 'string' ? body.sessionId : '' };
  }

  #mac(input: string): Buffer {
    return createHmac('sha256', this.#key).update(input).digest();
  }
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
