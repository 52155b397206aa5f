import { randomInt } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import { isoDate, resolveId, secret as randomSecret } from './ids.js';
import { json } from './reply.js';
import { secretDigest } from './state-codec.js';
import type { Model, ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { created } from './table.js';
import { userBy } from './user-index.js';
import { createUser } from './users.js';
import { linkWith } from './outbox.js';

/** Appwrite's token types (src/Appwrite/Auth/Auth.php at 1.5.0, TOKEN_TYPE_*); a token without one is generic (`users.createToken`). */
export type TokenType = 'verification' | 'recovery' | 'magic-url' | 'phone' | 'oauth2' | 'generic' | 'email';

/** How long each kind lives (Auth::TOKEN_EXPIRATION_*), in seconds. */
export const TOKEN_SECONDS = { confirm: 3600, recovery: 3600, otp: 900 } as const;

/** A code of `digits` decimal digits, as Auth::codeGenerator makes them. */
export function code(digits = 6): string {
  return Array.from({ length: digits }, () => String(randomInt(10))).join('');
}

/** A secret of `length` hex characters, as Auth::tokenGenerator makes them. */
export function hexSecret(length: number): string {
  return randomSecret(Math.ceil(length / 2)).slice(0, length);
}

/** Stores a new token of a user; returns it as stored (the secret in it). */
export function issueToken(
  { tx }: Pick<StateContext, 'tx'>,
  entry: ReadonlyDeep<UserEntry>,
  type: TokenType,
  secret: string,
  seconds: number,
): Readonly<Model> {
  const base = created(resolveId('unique()'));
  const userId = String(entry.model.$id);
  const token: Model = { $id: base.$id, $createdAt: base.$createdAt, userId, secret, expire: isoDate(new Date(Date.now() + seconds * 1000)), phrase: '', type };
  tx.create(entry.tokens, base.$id, token, { resource: 'token', ids: { userId, tokenId: base.$id } }, tokenView(token, null));
  return token;
}

/**
 * The user's unexpired token of `types` (any when null) whose secret is `secret`, as Auth::tokenVerify
 * finds it; a token read back from a state file holds the secret's digest.
 */
export function findToken(entry: ReadonlyDeep<UserEntry>, types: readonly TokenType[] | null, secret: string): Readonly<Model> | null {
  if (secret === '') return null;
  const digest = secretDigest(secret);
  const now = Date.now();
  for (const token of entry.tokens.values()) {
    const type = (token.type as TokenType | undefined) ?? 'generic';
    if (types !== null && !types.includes(type)) continue;
    if (token.secret !== secret && token.secret !== digest) continue;
    if (new Date(String(token.expire)).getTime() < now) continue;
    return token;
  }
  return null;
}

/** Removes a used token. */
export function spendToken({ tx }: Pick<StateContext, 'tx'>, entry: ReadonlyDeep<UserEntry>, token: Readonly<Model>): void {
  const userId = String(entry.model.$id);
  tx.delete(entry.tokens, String(token.$id), { resource: 'token', ids: { userId, tokenId: String(token.$id) } }, tokenView(token, null));
}

/** A token as Appwrite answers it: the secret to a key only (`$isPrivilegedUser || $isAppUser`). */
export function tokenView(token: Readonly<Model>, caller: Caller | null): Model {
  return {
    $id: token.$id,
    $createdAt: token.$createdAt,
    userId: token.userId,
    secret: caller?.role === 'apps' ? token.secret : '',
    expire: token.expire,
    phrase: token.phrase ?? '',
  };
}

/** The user with this email or phone, made (with no password) when there is none, as the token routes do. */
function userFor(ctx: StateContext, field: 'email' | 'phone', value: string): ReadonlyDeep<UserEntry> {
  const known = userBy(ctx.data.users, field, value);
  if (known) return known;
  return createUser(ctx, { userId: ctx.params.userId, [field]: value }, null, undefined, { signedUp: true }).entry;
}

export const tokenRoutes: StateRoutes = {
  // app/controllers/api/account.php:1875-2103 at 1.5.0: a 6-digit code by email, 15 minutes.
  accountCreateEmailToken: (ctx) => {
    const email = String(ctx.params.email).toLowerCase();
    const entry = userFor(ctx, 'email', email);
    const token = issueToken(ctx, entry, 'email', code(), TOKEN_SECONDS.otp);
    ctx.outbox.add({ kind: 'email-otp', channel: 'email', to: email, userId: String(entry.model.$id), secret: String(token.secret), url: null });
    return json(201, tokenView(token, ctx.caller));
  },
  // app/controllers/api/account.php:1631-1874 at 1.5.0: a 64-character secret in a link, an hour.
  accountCreateMagicURLToken: (ctx) => {
    const email = String(ctx.params.email).toLowerCase();
    const entry = userFor(ctx, 'email', email);
    const token = issueToken(ctx, entry, 'magic-url', hexSecret(64), TOKEN_SECONDS.confirm);
    const userId = String(entry.model.$id);
    const url = linkWith(ctx.params.url, { userId, secret: String(token.secret), expire: String(token.expire), project: ctx.caller.credentials.project });
    ctx.outbox.add({ kind: 'magic-url', channel: 'email', to: email, userId, secret: String(token.secret), url });
    return json(201, tokenView(token, ctx.caller));
  },
  // app/controllers/api/account.php:2164-2333 at 1.5.0: a 6-digit code by SMS, 15 minutes.
  accountCreatePhoneToken: (ctx) => {
    const phone = String(ctx.params.phone);
    const entry = userFor(ctx, 'phone', phone);
    const token = issueToken(ctx, entry, 'phone', code(), TOKEN_SECONDS.otp);
    ctx.outbox.add({ kind: 'phone-otp', channel: 'sms', to: phone, userId: String(entry.model.$id), secret: String(token.secret), url: null });
    return json(201, tokenView(token, ctx.caller));
  },
};
