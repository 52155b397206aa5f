import type { Headers, Query } from '../model/exchange.js';
import { headerText } from '../model/header-value.js';

/**
 * An Appwrite session as its cookie, `X-Appwrite-Session` and `X-Fallback-Cookies` carry it:
 * `base64(JSON {"id": userId, "secret": sessionSecret})` (Auth::encodeSession at 1.5.0). A value that does
 * not decode so is kept as a bare secret, which is how a session secret from an older answer is sent.
 */
export interface SessionToken {
  /** The user the session belongs to; null for a bare secret. */
  userId: string | null;
  secret: string;
}

/** What a request presents to say who is calling, read once; nothing is checked yet. */
export interface Credentials {
  /** `project` query parameter, else `X-Appwrite-Project` (the order of app/init.php's `project` resource). */
  project: string;
  /** `X-Appwrite-Key`; '' when absent. */
  key: string;
  /** The session, from the cookie, else `X-Appwrite-Session`, else `X-Fallback-Cookies`; null when none. */
  session: SessionToken | null;
  /** Where the session came from, for messages and for realtime. */
  sessionFrom: 'cookie' | 'header' | 'fallback' | null;
  /** `X-Appwrite-JWT`; '' when absent. */
  jwt: string;
  /** The host name the request was sent to (`Host` without its port), which Appwrite names a key's caller by. */
  host: string;
}

/** The name of a project's session cookie (`a_session_<projectId>`, and `_legacy` after it). */
export function sessionCookieName(project: string): string {
  return `a_session_${project}`;
}

/** Encodes a session the way Appwrite puts it in its cookie. */
export function encodeSession(userId: string, secret: string): string {
  return Buffer.from(JSON.stringify({ id: userId, secret })).toString('base64');
}

/** Reads a session value; null when it is empty. */
export function decodeSession(value: string): SessionToken | null {
  if (value === '') return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const { id, secret } = parsed as { id?: unknown; secret?: unknown };
      if (typeof secret === 'string' && secret !== '') return { userId: typeof id === 'string' && id !== '' ? id : null, secret };
    }
  } catch {
    // not Appwrite's encoding: a bare secret
  }
  return { userId: null, secret: value };
}

/**
 * The credentials of a request, read in the order Appwrite 1.5 reads them (app/init.php, the `user`
 * resource): the session cookie (or its `_legacy` twin), then `X-Appwrite-Session`, then the web SDK's
 * `X-Fallback-Cookies`; a JWT and a key are read as they are.
 */
export function readCredentials(headers: Headers, query: Query): Credentials {
  const fromQuery = query.project;
  const project = (Array.isArray(fromQuery) ? fromQuery[0] : fromQuery) || headerText(headers, 'x-appwrite-project');
  let session: SessionToken | null = null;
  let sessionFrom: Credentials['sessionFrom'] = null;
  const cookie = headerText(headers, 'cookie');
  if (cookie !== '') {
    const name = sessionCookieName(project);
    const jar = parseCookies(headers.cookie);
    session = decodeSession(jar.get(name) ?? jar.get(`${name}_legacy`) ?? '');
    if (session) sessionFrom = 'cookie';
  }
  if (!session) {
    session = decodeSession(headerText(headers, 'x-appwrite-session'));
    if (session) sessionFrom = 'header';
  }
  if (!session) {
    session = decodeSession(fallbackCookie(headerText(headers, 'x-fallback-cookies'), sessionCookieName(project)));
    if (session) sessionFrom = 'fallback';
  }
  const host = headerText(headers, 'host').replace(/:\d+$/, '');
  return { project, key: headerText(headers, 'x-appwrite-key'), session, sessionFrom, jwt: headerText(headers, 'x-appwrite-jwt'), host };
}

/** True when the request presents any credential at all (a key, a session or a JWT). */
export function presentsCredential(credentials: Credentials): boolean {
  return credentials.key !== '' || credentials.session !== null || credentials.jwt !== '';
}

function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      const name = pair.slice(0, eq).trim();
      if (!jar.has(name)) jar.set(name, safeDecode(pair.slice(eq + 1).trim()));
    }
  }
  return jar;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function fallbackCookie(header: string, name: string): string {
  if (header === '') return '';
  try {
    const parsed = JSON.parse(header) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.hasOwn(parsed, name)) {
      const value = (parsed as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : '';
    }
  } catch {
    // not JSON: no session
  }
  return '';
}
