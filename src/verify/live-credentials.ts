import { REDACTED } from '../cassette/redact.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import { headerText } from '../model/header-value.js';

/**
 * The session and JWT the verifying run was last given. A recording keeps no credential (the recorder
 * redacts them), so a recorded request that presented one is sent with the newest the run got in its
 * place: the session of the last sign-in, the JWT of the last `createJWT`, as the app would have.
 */
export class LiveCredentials {
  #session = '';
  #jwt = '';

  /** Learns from a live answer: a session from `X-Fallback-Cookies` or a `secret` handed to a key, a `jwt`. */
  learn(response: VcrResponse): void {
    const fallback = headerText(response.headers, 'x-fallback-cookies');
    if (fallback) {
      try {
        const cookies = JSON.parse(fallback) as unknown;
        if (cookies !== null && typeof cookies === 'object' && !Array.isArray(cookies)) {
          const value = Object.values(cookies).find((v): v is string => typeof v === 'string' && v !== '');
          if (value) this.#session = value;
        }
      } catch {
        // Not JSON: nothing to learn.
      }
    }
    const body = response.body?.kind === 'json' ? response.body.value : null;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
    const { jwt, secret, $id, userId, expire } = body as Record<string, unknown>;
    if (typeof jwt === 'string' && jwt !== '') this.#jwt = jwt;
    // A session model (it has an expiry and a user) whose secret was handed over: the value to send.
    if (!fallback && typeof secret === 'string' && secret !== '' && typeof $id === 'string' && typeof userId === 'string' && typeof expire === 'string' && 'provider' in body) this.#session = secret;
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
