import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Random bytes for IDs, drawn from the system's generator 4 KiB at a time: one call per ID cost a tenth
 * of a stateful `POST /v1/users` (measured in-process).
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomHex7(): string {
  if (poolAt + 4 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + 4).slice(0, 7);
  poolAt += 4;
  return hex;
}

/**
 * A new ID of Appwrite's shape: 13 hex digits from the clock, as PHP's `uniqid()` makes them
 * (8 for the seconds, 5 for the microseconds), then 7 random hex digits.
 */
export function uniqueId(): string {
  const nowMs = Date.now();
  const micros = (nowMs % 1000) * 1000 + Math.floor(Math.random() * 1000);
  const head =
    Math.floor(nowMs / 1000)
      .toString(16)
      .padStart(8, '0') + micros.toString(16).padStart(5, '0');
  return head + randomHex7();
}

/** The ID a client asked for, or a new one for the literal `unique()` (and for none at all). */
export function resolveId(requested: unknown): string {
  return typeof requested === 'string' && requested !== '' && requested !== 'unique()' ? requested : uniqueId();
}

/** Appwrite's timestamp format: ISO 8601 with milliseconds and `+00:00`. */
export function isoDate(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** A random secret of `bytes` bytes as hex, as Appwrite makes session and token secrets. */
export function secret(bytes = 64): string {
  return randomBytes(bytes).toString('hex');
}
