import { isoDate } from './ids.js';

/** What a real Appwrite would have sent, by the template it would have used. */
export type OutboxKind =
  'email-verification' | 'phone-verification' | 'recovery' | 'magic-url' | 'email-otp' | 'phone-otp' | 'mfa-email' | 'mfa-phone' | 'team-invitation';

/** One message a real Appwrite would send by email or SMS. */
export interface OutboxMessage {
  kind: OutboxKind;
  /** `email` or `sms`. */
  channel: 'email' | 'sms';
  /** The address or phone number it goes to. */
  to: string;
  userId: string;
  /** The token secret or one-time code the message carries. */
  secret: string;
  /** The link Appwrite builds from the request's `url` (with `userId`, `secret`, ...); null for codes. */
  url: string | null;
  createdAt: string;
}

/**
 * The messages of a run, newest last: what a test reads to finish a verification, a recovery, a
 * magic-link or OTP sign-in, or an invitation.
 * @note Kept in memory only, never in the state file: every message holds a secret.
 */
export class Outbox {
  #messages: OutboxMessage[] = [];

  add(message: Omit<OutboxMessage, 'createdAt'>): void {
    this.#messages.push(Object.freeze(Object.assign({ createdAt: isoDate() }, message)));
  }

  list(): OutboxMessage[] {
    return [...this.#messages];
  }

  clear(): void {
    this.#messages = [];
  }
}

/**
 * `url` with `params` merged into its query, as Appwrite's Template::mergeQuery does; null when `url`
 * is empty or not a URL.
 */
export function linkWith(url: unknown, params: Record<string, string>): string | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const link = new URL(url);
    for (const [name, value] of Object.entries(params)) link.searchParams.set(name, value);
    return link.href;
  } catch {
    return null;
  }
}
