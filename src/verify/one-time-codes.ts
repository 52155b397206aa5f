import { totpNow } from '../auth/totp.js';
import type { VcrRequest, VcrResponse } from '../model/exchange.js';

/** Operations that take the code of the account's TOTP authenticator in `otp`. */
const TOTP_OPERATIONS = new Set(['accountUpdateMfaAuthenticator', 'accountDeleteMfaAuthenticator']);

function jsonObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The authenticator codes the verifying run sends in place of the recorded ones. A recorded code was made
 * from the recorded server's TOTP secret, which the model never had, so it cannot pass there; where the
 * recorded server took the code (its answer was not an error), the run sends the code the model's own secret
 * gives now, learnt from the model's answer to `createMfaAuthenticator`. A code the recorded server refused
 * is sent as recorded.
 */
export class OneTimeCodes {
  #totpSecret = '';
  /** Live challenge IDs and the factor each was made for. */
  readonly #challenges = new Map<string, string>();

  learn(operationId: string, request: VcrRequest, live: VcrResponse): void {
    const body = live.body?.kind === 'json' ? jsonObject(live.body.value) : null;
    if (!body || live.status >= 400) return;
    if (operationId === 'accountCreateMfaAuthenticator' && typeof body.secret === 'string') this.#totpSecret = body.secret;
    if (operationId === 'accountCreateMfaChallenge' && typeof body.$id === 'string') {
      const sent = request.body?.kind === 'json' ? jsonObject(request.body.value) : null;
      this.#challenges.set(body.$id, String(sent?.factor ?? ''));
    }
  }

  /** The request to send: the recorded one, or a copy with the live TOTP code in `otp`. `challengeOf` maps a recorded challenge ID to the live one. */
  apply(operationId: string, request: VcrRequest, recorded: VcrResponse, challengeOf: (recordedId: string) => string): VcrRequest {
    const sent = request.body?.kind === 'json' ? jsonObject(request.body.value) : null;
    if (!sent || typeof sent.otp !== 'string' || recorded.status >= 400 || this.#totpSecret === '') return request;
    const totp =
      TOTP_OPERATIONS.has(operationId) ||
      (operationId === 'accountUpdateMfaChallenge' && this.#challenges.get(challengeOf(String(sent.challengeId ?? ''))) === 'totp');
    const code = totp ? totpNow(this.#totpSecret) : null;
    if (code === null) return request;
    return { ...request, body: { kind: 'json', value: { ...sent, otp: code } } };
  }
}
