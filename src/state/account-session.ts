import { encodeSession, sessionCookieName } from '../auth/credentials.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import { extendableCopy } from '../model/extendable-copy.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext } from './state-request.js';
import { createSession } from './users.js';

/**
 * Signs a user in the way every sign-in route of Appwrite 1.5 answers (app/controllers/api/account.php
 * at 1.5.0, `$createSession` at lines 60-165 and `POST /account/sessions/email` at 686-811): 201 with the
 * session, both session cookies and `X-Fallback-Cookies`; the session's `secret` is the cookie value for a
 * key and `""` for anyone else.
 */
export function signIn(ctx: StateContext, entry: ReadonlyDeep<UserEntry>, provider: string, factors?: string[]): VcrResponse {
  if (entry.model.status === false) fail('user_blocked');
  const session = createSession(ctx, entry, provider, factors);
  const value = encodeSession(String(entry.model.$id), String(session.secret));
  const name = sessionCookieName(ctx.caller.credentials.project);
  const expires = new Date(String(session.expire));
  const headers: Headers = {
    'content-type': 'application/json',
    'set-cookie': [cookie(`${name}_legacy`, value, expires, false), cookie(name, value, expires, true)],
    'x-fallback-cookies': JSON.stringify({ [name]: value }),
  };
  const body = Object.assign(extendableCopy(session as Model), { current: true, secret: ctx.caller.role === 'apps' ? value : '' });
  return { status: 201, headers, body: { kind: 'json', value: body } };
}

/** The headers that end a browser's session: both cookies expired, `X-Fallback-Cookies: []`. */
export function signOutHeaders(project: string): Headers {
  const name = sessionCookieName(project);
  const past = new Date(Date.now() - 3600_000);
  return { 'set-cookie': [cookie(`${name}_legacy`, '', past, false), cookie(name, '', past, true)], 'x-fallback-cookies': '[]' };
}

/**
 * A session cookie as Appwrite sets it (as a real 1.5.0 sent it: `expires=Tue, 30-Nov-2027 01:41:42 GMT;
 * Max-Age=31536000; path=/; httponly`): no domain (replay runs on loopback, where Appwrite sets none), not
 * `Secure` over plain HTTP; the `_legacy` twin has no SameSite, for browsers that refuse `SameSite=None`.
 */
function cookie(name: string, value: string, expires: Date, sameSiteNone: boolean): string {
  const maxAge = Math.max(0, Math.round((expires.getTime() - Date.now()) / 1000));
  return `${name}=${encodeURIComponent(value)}; expires=${cookieDate(expires)}; Max-Age=${maxAge}; path=/; httponly${sameSiteNone ? '; samesite=None' : ''}`;
}

/** PHP's cookie date: `Tue, 30-Nov-2027 01:41:42 GMT`. */
function cookieDate(date: Date): string {
  const [day, dd, mon, yyyy, time] = date.toUTCString().split(' ');
  return `${day} ${dd}-${mon}-${yyyy} ${time} GMT`;
}
