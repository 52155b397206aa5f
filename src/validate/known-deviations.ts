import type { VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { JsonSchema } from '../spec/json-schema.js';
import type { Operation } from '../spec/operation.js';
import type { SchemaValidator } from '../spec/schema-validator.js';

/**
 * An answer where Appwrite's own server departs from its spec, every time: what a real server sends and an
 * app meets. It is not drift of the recording, so it is reported apart, as information, with its reason.
 */
export interface KnownDeviation {
  /** A stable name, e.g. `status-200-for-201`. */
  id: string;
  operationId: string;
  /** Why the server answers so, with the Appwrite source it comes from. */
  reason: string;
}

interface Rule {
  id: string;
  reason: string;
  operations: ReadonlySet<string>;
  /** The findings left once the deviation is accounted for, or null when the answer is not this deviation. */
  explain(operation: Operation, response: VcrResponse, validator: SchemaValidator, findings: Finding[]): Finding[] | null;
}

function jsonSchemaOf(operation: Operation, status: number): JsonSchema | undefined {
  return operation.responses.get(status)?.content.get('application/json');
}

function withoutUndeclaredStatus(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.kind !== 'status-undeclared');
}

/** The value at a JSON pointer of a body, or undefined. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const listSchemas = new WeakMap<JsonSchema, JsonSchema>();

/** `{ total, statuses: [<the declared status model>] }`, made once per declared model. */
function statusListOf(item: JsonSchema): JsonSchema {
  let schema = listSchemas.get(item);
  if (!schema) {
    schema = { type: 'object', properties: { total: { type: 'integer' }, statuses: { type: 'array', items: item } }, required: ['total', 'statuses'] };
    listSchemas.set(item, schema);
  }
  return schema;
}

const SYSTEM_FIELD = /^(\/documents\/\d+)?\/\$(id|createdAt|updatedAt|permissions)$/;
/** What a list's documents leave out after a select as well (app/controllers/api/databases.php:3100-3118 at 1.5.0). */
const LISTED_LOCATION = /^\/documents\/\d+\/\$(collectionId|databaseId)$/;

const RULES: readonly Rule[] = [
  {
    id: 'status-200-for-201',
    reason:
      'the controller labels 201 but answers with `$response->dynamic()` and no status code, which is 200 (app/controllers/api/account.php:3709 and 4028, users.php:1664 at 1.5.0)',
    operations: new Set(['accountCreateMfaChallenge', 'accountCreateMfaRecoveryCodes', 'usersCreateMfaRecoveryCodes']),
    explain(operation, response, validator, findings) {
      const schema = jsonSchemaOf(operation, 201);
      if (response.status !== 200 || operation.responses.has(200) || !schema || response.body?.kind !== 'json') return null;
      return validator.checker(schema)(response.body.value).length === 0 ? withoutUndeclaredStatus(findings) : null;
    },
  },
  {
    id: 'status-204-for-200',
    reason:
      'the controller labels 200 and a user model but ends with `$response->noContent()` (app/controllers/api/account.php:3840 and users.php:1752 at 1.5.0)',
    operations: new Set(['accountDeleteMfaAuthenticator', 'usersDeleteMfaAuthenticator']),
    explain(operation, response, _validator, findings) {
      if (response.status !== 204 || operation.responses.has(204) || response.body !== null) return null;
      return withoutUndeclaredStatus(findings);
    },
  },
  {
    id: 'health-status-list',
    reason:
      'the health checks of several backends answer a list, `{ total, statuses: [healthStatus] }` (Response::MODEL_HEALTH_STATUS_LIST, app/controllers/api/health.php:110 at 1.5.0), not the one healthStatus the spec declares',
    operations: new Set(['healthGetDB', 'healthGetCache', 'healthGetPubSub', 'healthGetQueue']),
    explain(operation, response, validator) {
      const item = jsonSchemaOf(operation, 200);
      if (response.status !== 200 || !item || response.body?.kind !== 'json') return null;
      return validator.checker(statusListOf(item))(response.body.value).length === 0 ? [] : null;
    },
  },
  {
    id: 'provider-options-empty-array',
    reason:
      "a provider with no options (or no credentials) answers `options: []`: PHP's empty array is encoded as a JSON list, not an object (messaging.php at 1.5.0; seen from FCM and Msg91 providers of a real 1.5.0)",
    operations: new Set([
      'messagingCreateFcmProvider',
      'messagingUpdateFcmProvider',
      'messagingCreateMsg91Provider',
      'messagingUpdateMsg91Provider',
      'messagingGetProvider',
      'messagingListProviders',
    ]),
    explain(_operation, response, _validator, findings) {
      if (response.body?.kind !== 'json') return null;
      const body = response.body.value;
      const remaining = findings.filter(
        (f) =>
          !(
            f.kind === 'type-mismatch' &&
            /(^|\/)(options|credentials)$/.test(f.path) &&
            Array.isArray(valueAt(body, f.path)) &&
            (valueAt(body, f.path) as unknown[]).length === 0
          ),
      );
      return remaining.length < findings.length ? remaining : null;
    },
  },
  {
    id: 'select-omits-system-fields',
    reason:
      "with a `select` query the document leaves out `$id`, `$createdAt`, `$updatedAt` and `$permissions` unless selected (utopia-php/database 0.48.4 Database::getDocument/find drop what is not selected), and a list's documents `$collectionId` and `$databaseId` too (app/controllers/api/databases.php:3100-3118 at 1.5.0), which the spec marks required",
    operations: new Set(['databasesGetDocument', 'databasesListDocuments']),
    explain(_operation, _response, _validator, findings) {
      const remaining = findings.filter((f) => !(f.kind === 'required-missing' && (SYSTEM_FIELD.test(f.path) || LISTED_LOCATION.test(f.path))));
      return remaining.length < findings.length ? remaining : null;
    },
  },
];

const BY_OPERATION = new Map<string, Rule[]>();
for (const rule of RULES) for (const id of rule.operations) BY_OPERATION.set(id, [...(BY_OPERATION.get(id) ?? []), rule]);

/**
 * Takes out of an answer's findings those that one of Appwrite's known deviations accounts for, and names it.
 * An answer that departs from the spec in another way as well keeps those other findings.
 */
export function explainKnownDeviations(
  operation: Operation,
  response: VcrResponse,
  validator: SchemaValidator,
  findings: Finding[],
): { findings: Finding[]; deviations: KnownDeviation[] } {
  const rules = BY_OPERATION.get(operation.operationId);
  if (!rules || findings.length === 0) return { findings, deviations: [] };
  let remaining = findings;
  const deviations: KnownDeviation[] = [];
  for (const rule of rules) {
    const left = rule.explain(operation, response, validator, remaining);
    if (left === null) continue;
    remaining = left;
    deviations.push({ id: rule.id, operationId: operation.operationId, reason: rule.reason });
  }
  return { findings: remaining, deviations };
}
