import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopbackAddress, isLoopbackHost } from '../config/loopback.js';
import { ADMIN_TOKEN_HEADER } from '../engine/engine.js';

/**
 * The header every admin request without a token sends, `X-Vcr-Admin: 1`.
 * @note A web page can send a "simple" cross-origin POST (`text/plain`, no custom header) without a
 * preflight; a custom header forces one, and the admin routes answer no preflight. So a page in the
 * developer's browser cannot reach them, whatever it posts.
 */
export const ADMIN_MARKER_HEADER = 'x-vcr-admin';

export interface AdminAccessInput {
  /** The address the server is bound to (`--host`). */
  boundHost: string;
  /** The peer's address, as the socket reports it. */
  remoteAddress: string | undefined;
  /** The configured admin token, or null when there is none. */
  token: string | null;
  /** What the request sent in `X-Vcr-Admin-Token`. */
  presented: string | undefined;
  /** The request method. */
  method: string;
  /** The request's `Host` header. */
  host: string | undefined;
  /** What the request sent in `X-Vcr-Admin`. */
  marker: string | undefined;
}

export type AdminAccess = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may use the `/__vcr/` routes. No CORS preflight is ever answered. With a token, only a request
 * that presents it, from anywhere (the token header itself needs a preflight). Without one, only a
 * loopback peer of a server bound to loopback (on any other bind a peer that looks local may be a
 * port forward or a reverse proxy), sending `X-Vcr-Admin: 1`, and naming this machine in `Host`: a
 * page whose name was rebound to 127.0.0.1 still sends its own name.
 */
export function adminAccess(input: AdminAccessInput): AdminAccess {
  if (input.method.toUpperCase() === 'OPTIONS') {
    return { allowed: false, reason: 'The admin routes answer no cross-origin request: call them from a test runner or a shell, not from a web page.' };
  }
  if (input.token !== null) {
    if (input.presented !== undefined && sameSecret(input.presented, input.token)) return { allowed: true };
    return { allowed: false, reason: `The admin routes need the admin token in the ${ADMIN_TOKEN_HEADER} header.` };
  }
  if (!isLoopbackHost(input.boundHost)) {
    return { allowed: false, reason: 'The admin routes are off on a server bound to a non-loopback address without an admin token (--admin-token).' };
  }
  if (!isLoopbackAddress(input.remoteAddress ?? '')) return { allowed: false, reason: 'The admin routes answer only requests from this machine.' };
  if (input.marker !== '1') return { allowed: false, reason: 'The admin routes need the header X-Vcr-Admin: 1 (or the admin token in X-Vcr-Admin-Token).' };
  if (!namesLoopback(input.host))
    return { allowed: false, reason: 'The admin routes answer only a Host header that names this machine: 127.0.0.1, localhost or [::1], with any port.' };
  return { allowed: true };
}

/** `127.0.0.1`, `localhost` or `[::1]`, with or without a port. */
function namesLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = /^(\[::1\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host.trim().toLowerCase())?.[1];
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

/** Compares digests, so that neither the length nor the content of the token leaks through timing. */
function sameSecret(presented: string, token: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
