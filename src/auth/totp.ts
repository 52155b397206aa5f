import { createHmac, randomBytes } from 'node:crypto';

/**
 * Time-based one-time passwords as Appwrite 1.5.0 makes and checks them (src/Appwrite/Auth/MFA/Type/TOTP.php
 * and Challenge/TOTP.php at 1.5.0, through spomky-labs/otphp 10.0.3): RFC 6238 with HMAC-SHA1, 6 digits,
 * 30-second steps, a secret of 64 random bytes in unpadded base32.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_MS = 30_000;

function base32(bytes: Buffer): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += BASE32[Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}

/** The bytes of a base32 secret; null when it is not one (a placeholder read back from a state file). */
function base32Bytes(secret: string): Buffer | null {
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) {
    const at = BASE32.indexOf(c);
    if (at === -1) return null;
    bits += at.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return bytes.length === 0 ? null : Buffer.from(bytes);
}

/** A new authenticator secret, as `TOTP::create(null)` makes it: 64 random bytes, base32 without padding (103 characters). */
export function newTotpSecret(): string {
  return base32(randomBytes(64));
}

/** The code of `secret` for the 30-second step that holds `at`; null for a secret that is no base32. */
export function totpNow(secret: string, at = Date.now()): string | null {
  const key = base32Bytes(secret);
  if (!key) return null;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / STEP_MS)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = (digest[digest.length - 1] as number) & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * Whether `otp` is the code of the current step. @note Appwrite compares with `$totp->now() === $otp`
 * (Challenge/TOTP.php:18 at 1.5.0): no window, the code of the step before or after is refused.
 */
export function totpMatches(secret: string, otp: string): boolean {
  const now = totpNow(secret);
  return now !== null && now === otp;
}

/**
 * The provisioning URI an authenticator app scans, as otphp 10 writes it: `otpauth://totp/<issuer>:<label>`
 * percent-encoded as PHP's `rawurlencode`, then `issuer` and `secret` (the defaults algorithm, digits and
 * period left out), sorted by name.
 */
export function totpUri(secret: string, issuer: string, label: string): string {
  const query = new URLSearchParams({ issuer, secret }).toString().replace(/\+/g, '%20');
  return `otpauth://totp/${rawUrlEncode(`${issuer}:${label}`)}?${query}`;
}

/** PHP's `rawurlencode`: RFC 3986, only `A-Z a-z 0-9 - _ . ~` left as they are. */
function rawUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
