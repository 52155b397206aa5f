import { readCredentials } from '../auth/credentials.js';
import { identifyCaller } from '../auth/caller.js';
import { isJsonMediaType, mediaTypeOf } from '../model/body.js';
import type { Headers } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { Interaction } from '../model/interaction.js';
import type { Spec } from '../spec/load-spec.js';
import type { Operation } from '../spec/operation.js';
import type { SchemaValidator } from '../spec/schema-validator.js';
import { validateRequest } from '../validate/validate-request.js';
import type { KnownDeviation } from '../validate/known-deviations.js';
import { checkResponse } from '../validate/validate-response.js';

export interface InteractionCheck {
  /** The operation of the spec the request routes to, or null when there is none. */
  operation: Operation | null;
  findings: Finding[];
  /** Appwrite's own known departures from its spec that the answer shows (not findings). */
  deviations: KnownDeviation[];
}

/**
 * Recording redacts credentials by replacing their values with a placeholder; the header is still
 * there, and that is all Appwrite's rule (any one credential) needs.
 */
const CREDENTIAL_HEADERS = ['x-appwrite-key', 'x-appwrite-session', 'x-appwrite-jwt', 'cookie', 'authorization'];

/**
 * Validates one recorded exchange against a spec, as replay validates live traffic.
 * The recorded response is the truth about the server; the request is judged only when the server accepted it.
 */
export function checkInteraction(interaction: Interaction, spec: Spec, validator: SchemaValidator): InteractionCheck {
  const { request, response } = interaction;
  const method = request.method.toUpperCase();
  const base = spec.basePath;
  const inBase = base === '' || request.path === base || request.path.startsWith(`${base}/`);
  const match = inBase ? spec.router.match(method, request.path, base.length) : null;
  if (!match) {
    // @note Appwrite's own 404 for a route it does not have agrees with a spec that lacks the route.
    if (response.status === 404 && errorType(interaction) === 'general_route_not_found') return { operation: null, findings: [], deviations: [] };
    const finding: Finding = {
      kind: 'operation-unknown',
      severity: 'error',
      side: 'request',
      operationId: null,
      path: '',
      message: `${method} ${request.path} matches no operation of ${spec.title} ${spec.version}${movedTo(interaction, spec)}`,
      value: `${method} ${request.path}`,
    };
    return { operation: null, findings: [finding], deviations: [] };
  }
  const operation = match.operation;
  const findings: Finding[] = [];
  // @note A request the server refused (4xx/5xx) agrees with a contract that refuses it too;
  // a request it accepted while the contract would refuse it is drift.
  if (response.status < 400) {
    const body = request.body;
    const jsonExpected = isJsonMediaType(mediaTypeOf(request.headers['content-type']));
    const check = validateRequest(
      operation,
      {
        headers: request.headers,
        query: request.query,
        body: body?.kind === 'text' && jsonExpected ? null : body,
        bodyError: body?.kind === 'text' && jsonExpected ? 'the recorded body is not JSON' : undefined,
        pathParams: match.params,
        caller: identifyCaller(readCredentials(request.headers, request.query), null),
      },
      validator,
    );
    for (const finding of check.findings) {
      if (finding.path === 'header.credentials' && hasCredentialHeader(request.headers)) continue;
      findings.push(finding);
    }
  }
  const answer = checkResponse(operation, response, validator);
  findings.push(...answer.findings);
  return { operation, findings, deviations: answer.deviations };
}

function hasCredentialHeader(headers: Headers): boolean {
  return CREDENTIAL_HEADERS.some((name) => headers[name] !== undefined);
}

function errorType(interaction: Interaction): unknown {
  const body = interaction.response.body;
  return body?.kind === 'json' && body.value !== null && typeof body.value === 'object' ? (body.value as { type?: unknown }).type : undefined;
}

/** @note A route may move while its operation id stays (1.6 moved `accountCreateJWT` to `/account/jwts`): say where. */
function movedTo(interaction: Interaction, spec: Spec): string {
  const operation = interaction.operationId ? spec.byId.get(interaction.operationId) : undefined;
  return operation ? `; the spec has ${operation.operationId} at ${operation.method} ${spec.basePath}${operation.pathTemplate}` : '';
}
