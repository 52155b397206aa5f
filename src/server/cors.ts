import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerText } from '../model/header-value.js';
import type { Headers } from '../model/exchange.js';

/**
 * The CORS headers Appwrite 1.5 puts on every answer and on its `OPTIONS` answer
 * (app/controllers/general.php at 1.5.0, lines 548-552 and 599-603): the origin echoed, credentials allowed.
 * @note The preflight's list (the one here) is the longer of the two: it also names `X-Appwrite-Session`
 * and `X-Fallback-Cookies`, which a browser must be allowed to send on the request that follows.
 */
const ALLOW_HEADERS = [
  'Origin',
  'Cookie',
  'Set-Cookie',
  'X-Requested-With',
  'Content-Type',
  'Access-Control-Allow-Origin',
  'Access-Control-Request-Headers',
  'Accept',
  'X-Appwrite-Project',
  'X-Appwrite-Key',
  'X-Appwrite-Locale',
  'X-Appwrite-Mode',
  'X-Appwrite-JWT',
  'X-Appwrite-Response-Format',
  'X-Appwrite-Timeout',
  'X-SDK-Version',
  'X-SDK-Name',
  'X-SDK-Language',
  'X-SDK-Platform',
  'X-SDK-GraphQL',
  'X-Appwrite-ID',
  'X-Appwrite-Timestamp',
  'Content-Range',
  'Range',
  'Cache-Control',
  'Expires',
  'Pragma',
  'X-Appwrite-Session',
  'X-Fallback-Cookies',
  'X-Forwarded-For',
  'X-Forwarded-User-Agent',
].join(', ');

const FIXED: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
  'access-control-allow-headers': ALLOW_HEADERS,
  'access-control-expose-headers': 'X-Appwrite-Session, X-Fallback-Cookies',
  'access-control-allow-credentials': 'true',
});

/**
 * Puts the CORS headers on an answer before anything else is written: headers set so are merged into
 * whatever `writeHead` sends later, so errors, generated answers and replayed ones all carry them.
 * Without an `Origin` there is nothing to echo, and no `Access-Control-Allow-Origin` is sent.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  for (const [name, value] of Object.entries(FIXED)) res.setHeader(name, value);
  const origin = headerText(req.headers as Headers, 'origin');
  if (origin !== '') res.setHeader('access-control-allow-origin', origin);
}

/**
 * Appwrite's refusal of a write from an origin that is no registered platform, made without a key
 * (app/controllers/general.php at 1.5.0, lines 559-568, and Appwrite\Network\Validator\Origin); null when
 * the request may go on. An empty list accepts every origin, as an Appwrite that accepted every platform would.
 * A list entry is a host name (`localhost`, as Appwrite registers a platform) or an origin (`http://localhost:5173`),
 * whose host name is what counts.
 */
export function unknownOrigin(method: string, headers: Headers, allowed: readonly string[]): string | null {
  if (allowed.length === 0 || !WRITES.has(method.toUpperCase())) return null;
  if (headerText(headers, 'x-appwrite-key') !== '') return null;
  return originRefusal(headers, allowed);
}

/**
 * Appwrite's Origin validator alone: the message when the request's `Origin` (or `Referer`) names a host no
 * entry of `allowed` has, else null (also when there is no origin: apps other than web send none). Realtime's
 * upgrade checks it so (app/realtime.php:447-452 at 1.5.0).
 */
export function originRefusal(headers: Headers, allowed: readonly string[]): string | null {
  if (allowed.length === 0) return null;
  const origin = headerText(headers, 'origin') || headerText(headers, 'referer');
  if (origin === '') return null;
  let scheme: string;
  let host: string;
  try {
    const url = new URL(origin);
    scheme = url.protocol.slice(0, -1);
    host = url.hostname;
  } catch {
    return null;
  }
  if (host === '') return null;
  if (allowed.some((entry) => hostOf(entry) === host)) return null;
  const platform = PLATFORMS[scheme];
  return platform
    ? `Invalid Origin. Register your new client (${host}) as a new ${platform} platform on your project console dashboard`
    : 'Unsupported platform';
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Origin schemes and the platform each stands for (Appwrite\Network\Validator\Origin at 1.5.0). */
const PLATFORMS: Readonly<Record<string, string>> = Object.freeze({
  http: 'Web',
  https: 'Web',
  'appwrite-ios': 'iOS',
  'appwrite-macos': 'macOS',
  'appwrite-watchos': 'watchOS',
  'appwrite-tvos': 'tvOS',
  'appwrite-android': 'Android',
  'appwrite-windows': 'Windows',
  'appwrite-linux': 'Linux',
});

function hostOf(entry: string): string {
  if (!entry.includes('://')) return entry.toLowerCase();
  try {
    return new URL(entry).hostname;
  } catch {
    return entry.toLowerCase();
  }
}
