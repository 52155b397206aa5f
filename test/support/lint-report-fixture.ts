import type { FindingGroup, LintReport, OperationReport } from '../../src/index.js';

/** A finding group as lint builds it, with the fields a test does not care about filled in. */
export function findingGroup(fields: Partial<FindingGroup> & Pick<FindingGroup, 'kind' | 'severity' | 'side' | 'path'>): FindingGroup {
  return {
    message: `${fields.kind} at ${fields.path || 'the body'}`,
    count: 1,
    example: { file: 'a.json', index: 0, id: 'i0', path: fields.path },
    places: [{ file: 'a.json', indexes: [0] }],
    ...fields,
  };
}

const operation = (fields: Partial<OperationReport> & Pick<OperationReport, 'operationId' | 'method' | 'path' | 'tag' | 'status'>): OperationReport => ({
  severity: null,
  interactions: 0,
  findings: [],
  ...fields,
});

/**
 * A lint report written by hand, so that every renderer can be checked against exact text: one operation of each
 * status (an error drift with two groups, a warning-only drift, covered, missing, unknown without an id), a tag
 * fully covered, one partly and one not at all, a known deviation and a malformed file.
 */
export function handReport(): LintReport {
  const typeMismatch = findingGroup({
    kind: 'type-mismatch',
    severity: 'error',
    side: 'response',
    path: '/status',
    message: 'must be boolean',
    count: 3,
    example: { file: 'a.json', index: 0, id: 'i0', path: '/status', value: 'yes' },
    places: [
      { file: 'a.json', indexes: [0, 2] },
      { file: 'b/c.json', indexes: [5] },
    ],
  });
  const undeclared = findingGroup({ kind: 'field-undeclared', severity: 'warning', side: 'response', path: '/nickname', message: 'field not in the spec' });
  const unknownQuery = findingGroup({
    kind: 'parameter-unknown',
    severity: 'warning',
    side: 'request',
    path: 'query.x',
    message: 'unknown query parameter "x"',
    example: { file: 'b/c.json', index: 1, id: 'i1', path: 'query.x', value: '1' },
    places: [{ file: 'b/c.json', indexes: [1] }],
  });
  const unknownRoute = findingGroup({ kind: 'operation-unknown', severity: 'error', side: 'request', path: '', message: 'GET /v1/nope matches no operation' });
  return {
    format: 'appwrite-vcr-lint-report',
    version: 1,
    createdBy: 'appwrite-vcr/0.0.0',
    spec: { title: 'Appwrite', version: '1.5.0', source: 'spec.json', operations: 4 },
    cassettes: 'cassettes',
    summary: {
      files: 3,
      malformedFiles: 1,
      interactions: 7,
      interactionsWithFindings: 4,
      errors: 4,
      warnings: 2,
      findingGroups: 4,
      failOn: 'error',
      failed: true,
    },
    coverage: {
      operations: 4,
      covered: 2,
      percent: 50,
      byTag: [
        { tag: 'users', operations: 3, covered: 1, percent: 33.3, missing: ['usersDelete', 'usersUpdateName'] },
        { tag: 'health', operations: 1, covered: 1, percent: 100, missing: [] },
        { tag: 'teams', operations: 1, covered: 0, percent: 0, missing: ['teamsList'] },
      ],
    },
    operations: [
      operation({
        operationId: 'usersGet',
        method: 'GET',
        path: '/users/{userId}',
        tag: 'users',
        status: 'drift',
        severity: 'error',
        interactions: 3,
        findings: [typeMismatch, undeclared],
      }),
      operation({ operationId: 'usersDelete', method: 'DELETE', path: '/users/{userId}', tag: 'users', status: 'missing' }),
      operation({
        operationId: 'healthGet',
        method: 'GET',
        path: '/health',
        tag: 'health',
        status: 'drift',
        severity: 'warning',
        interactions: 1,
        findings: [unknownQuery],
      }),
      operation({ operationId: 'teamsList', method: 'GET', path: '/teams', tag: 'teams', status: 'missing' }),
      operation({
        operationId: null,
        method: 'GET',
        path: '/v1/nope',
        tag: null,
        status: 'unknown',
        severity: 'error',
        interactions: 1,
        findings: [unknownRoute],
      }),
    ],
    knownDeviations: [
      { id: 'jwt-201', operationId: 'accountCreateJWT', reason: 'Appwrite answers 201', count: 2, example: { file: 'a.json', index: 4, id: 'i4' } },
    ],
    inputProblems: [{ file: 'broken.json', message: 'invalid JSON at line 1, column 80', line: 1, column: 80 }],
  };
}

/** A report of one covered operation, nothing else: the singular forms and a pass. */
export function cleanReport(): LintReport {
  const report = handReport();
  return {
    ...report,
    summary: {
      ...report.summary,
      files: 1,
      malformedFiles: 0,
      interactions: 1,
      interactionsWithFindings: 0,
      errors: 0,
      warnings: 0,
      findingGroups: 0,
      failed: false,
    },
    coverage: { operations: 1, covered: 1, percent: 100, byTag: [{ tag: 'health', operations: 1, covered: 1, percent: 100, missing: [] }] },
    operations: [{ operationId: 'healthGet', method: 'GET', path: '/health', tag: 'health', status: 'covered', severity: null, interactions: 1, findings: [] }],
    knownDeviations: [],
    inputProblems: [],
  };
}
