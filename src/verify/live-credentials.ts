import { REDACTED } from '../cassette/redact.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import { headerText } from '../model/header-value.js';

/**
 * The session and JWT the verifying run stands in for the app's. A recording keeps no credential (the
 * recorder redacts them), so a recorded request that presented one is sent with the run's own: the session
 * the app most likely holds, the JWT of the last `createJWT`. Sessions are ranked by how they were made: an
 * account sign-in with credentials over an anonymous one over a session a key made with `users.createSession`;
 * the newest of the best rank wins, and a sign-out of the current session (`X-Fallback-Cookies: []`) clears it.
 * @note A program that signs in two users and alternates between them is verified with one of them only.
 */
function sessionRank(operationId: string): number {
  if (operationId === 'usersCreateSession') return 0;
  if (operationId === 'accountCreateAnonymousSession') return 1;
  return 2;
}

/** Whether a recorded request presented a session (redacted, so only its presence is known). */
function presentsSession(headers: Headers): boolean {
  return headers['x-appwrite-session'] !== undefined || headers['x-fallback-cookies'] !== undefined || /(^|;\s*)a_session_/.test(headerText(headers, 'cookie'));
}

export class LiveCredentials {
  #session = '';
  #rank = -1;
  #jwt = '';

  /**
   * Learns from a live answer to a recorded request: a session from `X-Fallback-Cookies` or a `secret`
   * handed to a key, a `jwt`; `X-Fallback-Cookies: []` signs the presenting client out.
   */
  learn(operationId: string, recorded: Headers, response: VcrResponse): void {
    const presented = presentsSession(recorded);
    const fallback = headerText(response.headers, 'x-fallback-cookies');
    let session = '';
    if (fallback) {
      try {
        const cookies = JSON.parse(fallback) as unknown;
        if (Array.isArray(cookies) && cookies.length === 0 && presented) {
          this.#session = '';
          this.#rank = -1;
        }
        if (cookies !== null && typeof cookies === 'object' && !Array.isArray(cookies))
          session = Object.values(cookies).find((v): v is string => typeof v === 'string' && v !== '') ?? '';
      } catch {
        // Not JSON: nothing to learn.
      }
    }
    const body = response.body?.kind === 'json' ? response.body.value : null;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const { jwt, secret, $id, userId, expire } = body as Record<string, unknown>;
      if (typeof jwt === 'string' && jwt !== '') this.#jwt = jwt;
      // A session model (it has an expiry, a user and a provider) whose secret was handed over: the value to send.
      if (
        !session &&
        typeof secret === 'string' &&
        secret !== '' &&
        typeof $id === 'string' &&
        typeof userId === 'string' &&
        typeof expire === 'string' &&
        'provider' in body
      )
        session = secret;
    }
    const rank = sessionRank(operationId);
    if (session && (presented || rank >= this.#rank)) {
      this.#session = session;
      this.#rank = rank;
    }
  }

  /** The recorded headers with each redacted credential replaced by the live one (dropped when there is none yet). */
  apply(headers: Headers, project: string): Headers {
    const out: Headers = {};
    for (const [name, value] of Object.entries(headers)) {
      const text = Array.isArray(value) ? value.join(', ') : value;
      if (!text.includes(REDACTED.slice(0, -1))) {
        out[name] = value;
        continue;
      }
      if (name === 'x-appwrite-session') {
        if (this.#session) out[name] = this.#session;
      } else if (name === 'x-appwrite-jwt') {
        if (this.#jwt) out[name] = this.#jwt;
      } else if (name === 'cookie') {
        if (this.#session) out[name] = `a_session_${project}=${this.#session}; a_session_${project}_legacy=${this.#session}`;
      } else if (name === 'x-fallback-cookies') {
        if (this.#session) out[name] = JSON.stringify({ [`a_session_${project}`]: this.#session });
      } else {
        // A key or another secret header: any value stands for it.
        out[name] = value;
      }
    }
    return out;
  }
}
