import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopbackAddress, isLoopbackHost } from '../config/loopback.js';

import { ADMIN_TOKEN_HEADER } from '../engine/engine.js';

export interface AdminAccessInput {
  /** The address the server is bound to (`--host`). */
  boundHost: string;
  /** The peer's address, as the socket reports it. */
  remoteAddress: string | undefined;
  /** The configured admin token, or null when there is none. */
  token: string | null;
  /** What the request sent in `X-Vcr-Admin-Token`. */
  presented: string | undefined;
}

export type AdminAccess = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may use the `/__vcr/` routes. With a token, only a request that presents it, from anywhere.
 * Without one, only a loopback peer of a server bound to loopback: on any other bind a peer that
 * looks local may be a port forward or a reverse proxy, so the routes stay shut.
 */
export function adminAccess(input: AdminAccessInput): AdminAccess {
  if (input.token !== null) {
    if (input.presented !== undefined && sameSecret(input.presented, input.token)) return { allowed: true };
    return { allowed: false, reason: `The admin routes need the admin token in the ${ADMIN_TOKEN_HEADER} header.` };
  }
  if (!isLoopbackHost(input.boundHost)) {
    return { allowed: false, reason: 'The admin routes are off on a server bound to a non-loopback address without an admin token (--admin-token).' };
  }
  if (!isLoopbackAddress(input.remoteAddress ?? '')) return { allowed: false, reason: 'The admin routes answer only requests from this machine.' };
  return { allowed: true };
}

/** Compares digests, so that neither the length nor the content of the token leaks through timing. */
function sameSecret(presented: string, token: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
