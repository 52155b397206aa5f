import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintCassettes, type Interaction, type LintReport } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

const KEY = { headers: { 'x-appwrite-key': '[redacted]' } };
const DATE = '2026-01-01T00:00:00.000+00:00';
const notFound = { message: 'User with the requested ID could not be found.', code: 404, type: 'user_not_found', version: '1.5.0' };

/** The edges of the response contract and of Appwrite's known deviations from its spec, one cassette per call. */
describe('lint: edges of the response contract and of the known deviations', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function lint(...interactions: Interaction[]): Promise<LintReport> {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-edges-'));
    dirs.push(dir);
    await writeCassette(dir, 'answers', interactions);
    return lintCassettes({ cassettes: dir });
  }
  /** Response findings as `[kind, path, message]`, and the known deviations by id. */
  async function verdict(...interactions: Interaction[]): Promise<{ findings: [string, string, string][]; deviations: string[] }> {
    const report = await lint(...interactions);
    return {
      findings: report.operations.flatMap((op) =>
        op.findings.filter((f) => f.side === 'response').map((f): [string, string, string] => [f.kind, f.path, f.message]),
      ),
      deviations: report.knownDeviations.map((d) => d.id),
    };
  }
  const answer = (interaction: Interaction, response: Partial<Interaction['response']>): Interaction => ({
    ...interaction,
    response: { ...interaction.response, ...response },
  });
  const json = (value: unknown) => ({ kind: 'json' as const, value });

  it('takes any status from 400 to 599 as an error answer, and calls another undeclared status undeclared', async () => {
    for (const status of [400, 599]) {
      const error = { message: 'x', code: status, type: 'general_unknown', version: '1.5.0' };
      expect(await verdict(jsonInteraction('1', 'GET', '/v1/users/ada', status, error, KEY)), String(status)).toEqual({ findings: [], deviations: [] });
    }
    for (const status of [302, 399])
      expect((await verdict(jsonInteraction('1', 'GET', '/v1/users/ada', status, notFound, KEY))).findings, String(status)).toEqual([
        ['status-undeclared', '', `status ${status} is not declared by usersGet (declared: 200)`],
      ]);
  });

  it('takes an error answer with more fields, and reports a code of the wrong type once, not as a second difference', async () => {
    expect((await verdict(jsonInteraction('1', 'GET', '/v1/users/ada', 404, { ...notFound, extra: true }, KEY))).findings).toEqual([]);
    expect((await verdict(jsonInteraction('1', 'GET', '/v1/users/ada', 404, { ...notFound, code: '404' }, KEY))).findings).toEqual([
      ['error-malformed', '/code', expect.stringMatching(/^error answer: /) as string],
    ]);
    const noBody = answer(jsonInteraction('1', 'GET', '/v1/users/ada', 502, null, KEY), { headers: {}, body: null });
    expect((await verdict(noBody)).findings).toEqual([['error-malformed', '', "error answer 502 is not Appwrite's error JSON"]]);
  });

  it("asks an error answer for each of Appwrite's four fields with its type, as errors naming the value", async () => {
    const broken = async (value: Record<string, unknown>) => {
      const report = await lint(jsonInteraction('1', 'GET', '/v1/users/ada', 404, value, KEY));
      return report.operations.flatMap((op) => op.findings.map((f) => [f.kind, f.severity, f.path, 'value' in f.example ? f.example.value : '(none)']));
    };
    const { message: _m, code: _c, type: _t, ...version } = notFound;
    expect(await broken(version)).toEqual([
      ['error-malformed', 'error', '/code', '(none)'],
      ['error-malformed', 'error', '/message', '(none)'],
      ['error-malformed', 'error', '/type', '(none)'],
    ]);
    expect(await broken({ ...notFound, message: 5, type: null, version: 1.5 })).toEqual([
      ['error-malformed', 'error', '/message', 5],
      ['error-malformed', 'error', '/type', null],
      ['error-malformed', 'error', '/version', 1.5],
    ]);
    expect(await broken({ ...notFound, code: 400 })).toEqual([['error-malformed', 'error', '/code', 400]]);
    const undeclared = await lint(jsonInteraction('1', 'GET', '/v1/users/ada', 302, notFound, KEY));
    expect(undeclared.operations.flatMap((op) => op.findings.map((f) => [f.severity, f.example.value]))).toEqual([['error', 302]]);
    expect(undeclared.summary).toMatchObject({ errors: 1, warnings: 0, failed: true });
  });

  it('asks for an error answer that is a JSON object, and names every declared status of an undeclared one', async () => {
    expect((await verdict(jsonInteraction('1', 'GET', '/v1/users/ada', 404, 'User not found', KEY))).findings).toEqual([
      ['error-malformed', '', expect.stringMatching(/^error answer: /) as string],
    ]);
    expect((await verdict(jsonInteraction('1', 'GET', '/v1/users/ada', 404, [notFound], KEY))).findings).toEqual([
      ['error-malformed', '', expect.stringMatching(/^error answer: /) as string],
    ]);
    // accountUpdateMfaChallenge declares 204 with a body, which appwrite-vcr also takes as 200 (see src/spec/load-spec.ts).
    const created = jsonInteraction('1', 'PUT', '/v1/account/mfa/challenge', 201, {}, { ...KEY, body: json({ challengeId: 'c1', otp: '123456' }) });
    expect((await verdict(created)).findings).toEqual([
      ['status-undeclared', '', 'status 201 is not declared by accountUpdateMfaChallenge (declared: 204, 200)'],
    ]);
  });

  it('reports each response finding as an error, naming the media type it got', async () => {
    const bodies = async (...interactions: Interaction[]) =>
      (await lint(...interactions)).operations.flatMap((op) => op.findings.map((f) => [f.kind, f.severity, 'value' in f.example ? f.example.value : '(none)']));
    const user = answer(jsonInteraction('1', 'GET', '/v1/users/ada', 200, null, KEY), { headers: {}, body: { kind: 'text', value: 'x' } });
    expect(await bodies(user)).toEqual([['media-type-undeclared', 'error', null]]);
    expect(await bodies(answer(user, { headers: { 'content-type': 'text/plain' } }))).toEqual([['media-type-undeclared', 'error', 'text/plain']]);
    expect(await bodies(answer(user, { headers: { 'content-type': 'application/json' } }))).toEqual([['type-mismatch', 'error', '(none)']]);
    const redirect = answer(jsonInteraction('1', 'GET', '/v1/account/tokens/oauth2/github', 301, null, KEY), { headers: {}, body: null });
    expect(await bodies(redirect)).toEqual([['required-missing', 'error', '(none)']]);
    const deleted = answer(jsonInteraction('1', 'DELETE', '/v1/users/ada', 204, null, KEY), { headers: {}, body: { kind: 'text', value: 'gone' } });
    expect(await bodies(deleted)).toEqual([['media-type-undeclared', 'error', '(none)']]);
  });

  it('asks a redirect for its Location, and lets a 204 arrive empty where the spec declares a body', async () => {
    const redirect = (headers: Record<string, string>): Interaction =>
      answer(jsonInteraction('1', 'GET', '/v1/account/tokens/oauth2/github', 301, null, KEY), { headers, body: null });
    expect(await verdict(redirect({}))).toEqual({
      findings: [['required-missing', 'header.location', 'a redirect must carry a Location header']],
      deviations: [],
    });
    expect((await verdict(redirect({ location: 'https://github.com/login/oauth/authorize' }))).findings).toEqual([]);
    // The spec declares a body for accountUpdateMfaChallenge's 204; account.php at 1.5.0 answers noContent().
    const challenge = answer(jsonInteraction('1', 'PUT', '/v1/account/mfa/challenge', 204, null, KEY), { headers: {}, body: null });
    expect((await verdict(challenge)).findings).toEqual([]);
    expect((await verdict(answer(challenge, { headers: { 'content-type': 'application/json' }, body: json({}) }))).findings).not.toEqual([]);
  });

  it('names a missing media type "(none)", a media type without a subtype by */*, and a missing body as nothing', async () => {
    const bare = answer(jsonInteraction('1', 'GET', '/v1/users/ada', 200, null, KEY), { headers: {}, body: { kind: 'text', value: 'x' } });
    expect((await verdict(bare)).findings).toEqual([
      ['media-type-undeclared', '', 'media type "(none)" is not declared for status 200 (declared: application/json)'],
    ]);
    const odd = answer(bare, { headers: { 'content-type': 'weird' } });
    expect((await verdict(odd)).findings).toEqual([
      ['media-type-undeclared', '', 'media type "weird" is not declared for status 200 (declared: application/json)'],
    ]);
    const empty = answer(bare, { headers: { 'content-type': 'application/json' }, body: null });
    expect((await verdict(empty)).findings).toEqual([['type-mismatch', '', 'body must be JSON, got nothing']]);
  });

  it('names no deviation for an answer that has no finding, even of an operation that has one', async () => {
    const single = jsonInteraction('1', 'GET', '/v1/health/db', 200, { name: 'database', ping: 0, status: 'pass' }, KEY);
    expect(await verdict(single)).toEqual({ findings: [], deviations: [] });
  });

  it('names each deviation with its operation and the Appwrite source it comes from', async () => {
    const provider = { $id: 'p1', $createdAt: DATE, $updatedAt: DATE, name: 'P', provider: 'fcm', enabled: true, type: 'push', credentials: {}, options: [] };
    const report = await lint(
      jsonInteraction('1', 'PATCH', '/v1/users/ada/mfa/recovery-codes', 200, { recoveryCodes: ['a1'] }, KEY),
      answer(jsonInteraction('2', 'DELETE', '/v1/account/mfa/authenticators/totp', 204, null, KEY), { headers: {}, body: null }),
      jsonInteraction('3', 'GET', '/v1/health/queue', 200, { total: 1, statuses: [{ name: 'queue', ping: 1, status: 'pass' }] }, KEY),
      jsonInteraction('4', 'GET', '/v1/messaging/providers/p1', 200, provider, KEY),
      jsonInteraction('5', 'GET', '/v1/databases/db1/collections/c1/documents/d1', 200, { $collectionId: 'c1', $databaseId: 'db1' }, KEY),
    );
    expect(report.knownDeviations.map((d) => [d.operationId, d.id, d.count])).toEqual([
      ['accountDeleteMfaAuthenticator', 'status-204-for-200', 1],
      ['databasesGetDocument', 'select-omits-system-fields', 1],
      ['healthGetQueue', 'health-status-list', 1],
      ['messagingGetProvider', 'provider-options-empty-array', 1],
      ['usersCreateMfaRecoveryCodes', 'status-200-for-201', 1],
    ]);
    // The parenthesised source of each reason.
    const sources = report.knownDeviations.map((d) => /\(([^()]*(?:1\.5\.0|0\.48\.4)[^()]*)\)/.exec(d.reason)?.[1]);
    expect(sources).toEqual([
      'app/controllers/api/account.php:3840 and users.php:1752 at 1.5.0',
      'utopia-php/database 0.48.4 Database::getDocument/find drop what is not selected',
      'Response::MODEL_HEALTH_STATUS_LIST, app/controllers/api/health.php:110 at 1.5.0',
      'messaging.php at 1.5.0; seen from FCM and Msg91 providers of a real 1.5.0',
      'app/controllers/api/account.php:3709 and 4028, users.php:1664 at 1.5.0',
    ]);
  });

  it('knows each deviation for every operation it names', async () => {
    const provider = { $id: 'p1', $createdAt: DATE, $updatedAt: DATE, name: 'P', provider: 'msg91', enabled: true, type: 'sms', credentials: [], options: {} };
    const report = await lint(
      jsonInteraction('1', 'POST', '/v1/account/mfa/recovery-codes', 200, { recoveryCodes: ['a1'] }, KEY),
      jsonInteraction('2', 'GET', '/v1/health/pubsub', 200, { total: 1, statuses: [{ name: 'pubsub', ping: 1, status: 'pass' }] }, KEY),
      jsonInteraction('3', 'POST', '/v1/messaging/providers/msg91', 201, provider, { ...KEY, body: json({ providerId: 'p1', name: 'P' }) }),
      jsonInteraction('4', 'PATCH', '/v1/messaging/providers/msg91/p1', 200, provider, { ...KEY, body: json({ name: 'P' }) }),
      jsonInteraction(
        '5',
        'PATCH',
        '/v1/messaging/providers/fcm/p1',
        200,
        { ...provider, provider: 'fcm', type: 'push' },
        { ...KEY, body: json({ name: 'P' }) },
      ),
      jsonInteraction(
        '6',
        'GET',
        '/v1/databases/db1/collections/c1/documents',
        200,
        { total: 1, documents: [{ $collectionId: 'c1', $databaseId: 'db1' }] },
        KEY,
      ),
    );
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(report.knownDeviations.map((d) => [d.operationId, d.id])).toEqual([
      ['accountCreateMfaRecoveryCodes', 'status-200-for-201'],
      ['databasesListDocuments', 'select-omits-system-fields'],
      ['healthGetPubSub', 'health-status-list'],
      ['messagingCreateMsg91Provider', 'provider-options-empty-array'],
      ['messagingUpdateFcmProvider', 'provider-options-empty-array'],
      ['messagingUpdateMsg91Provider', 'provider-options-empty-array'],
    ]);
  });

  it('takes a 200 for a declared 201 only when the body is the declared model and JSON', async () => {
    const challenge = (status: number, value: unknown) =>
      jsonInteraction('1', 'POST', '/v1/account/mfa/challenge', status, value, { ...KEY, body: json({ factor: 'totp' }) });
    const model = { $id: 'c1', $createdAt: DATE, userId: 'u1', expire: DATE };
    expect(await verdict(challenge(200, model))).toEqual({ findings: [], deviations: ['status-200-for-201'] });
    expect(await verdict(challenge(200, { $id: 'c1' }))).toEqual({
      findings: [['status-undeclared', '', 'status 200 is not declared by accountCreateMfaChallenge (declared: 201)']],
      deviations: [],
    });
    const text = answer(challenge(200, null), { headers: { 'content-type': 'text/plain' }, body: { kind: 'text', value: 'ok' } });
    expect((await verdict(text)).deviations).toEqual([]);
    // usersCreateMfaRecoveryCodes (users.php:1664) is one of the three.
    const codes = jsonInteraction('1', 'PATCH', '/v1/users/ada/mfa/recovery-codes', 200, { recoveryCodes: ['a1', 'b2'] }, KEY);
    expect(await verdict(codes)).toEqual({ findings: [], deviations: ['status-200-for-201'] });
  });

  it('takes a 204 for a declared 200 only when it has no body', async () => {
    const removed = (body: Interaction['response']['body']) =>
      answer(jsonInteraction('1', 'DELETE', '/v1/users/ada/mfa/authenticators/totp', 204, null, KEY), { headers: {}, body });
    expect(await verdict(removed(null))).toEqual({ findings: [], deviations: ['status-204-for-200'] });
    expect(await verdict(removed({ kind: 'text', value: 'gone' }))).toEqual({
      findings: [['status-undeclared', '', 'status 204 is not declared by usersDeleteMfaAuthenticator (declared: 200)']],
      deviations: [],
    });
  });

  it('takes a health list only from a 200 whose every entry is a health status', async () => {
    const list = (status: number, value: unknown) => jsonInteraction('1', 'GET', '/v1/health/cache', status, value, KEY);
    const entry = { name: 'Cache (cache)', ping: 0, status: 'pass' };
    expect(await verdict(list(200, { total: 2, statuses: [entry, entry] }))).toEqual({ findings: [], deviations: ['health-status-list'] });
    expect(await verdict(list(200, { total: 0, statuses: [] }))).toEqual({ findings: [], deviations: ['health-status-list'] });
    expect((await verdict(list(200, { statuses: [entry] }))).deviations).toEqual([]);
    expect((await verdict(list(200, { total: 1, statuses: entry }))).deviations).toEqual([]);
    const error = { message: 'x', code: 500, type: 'general_unknown', version: '1.5.0' };
    expect(await verdict(list(500, error))).toEqual({ findings: [], deviations: [] });
  });

  it('takes an empty list for provider options or credentials, at the top or in a list of providers, and nothing else', async () => {
    const provider = { $id: 'p1', $createdAt: DATE, $updatedAt: DATE, name: 'P', provider: 'msg91', enabled: true, type: 'sms', credentials: {}, options: {} };
    const one = (value: unknown) => jsonInteraction('1', 'GET', '/v1/messaging/providers/p1', 200, value, KEY);
    expect(await verdict(one({ ...provider, credentials: [] }))).toEqual({ findings: [], deviations: ['provider-options-empty-array'] });
    expect(await verdict(one({ ...provider, options: [], credentials: [] }))).toEqual({ findings: [], deviations: ['provider-options-empty-array'] });
    expect(await verdict(one({ ...provider, name: [] }))).toEqual({ findings: [['type-mismatch', '/name', 'must be string']], deviations: [] });
    expect(await verdict(one({ ...provider, options: 5 }))).toEqual({
      findings: [['type-mismatch', '/options', 'must be object']],
      deviations: [],
    });
    const listed = jsonInteraction(
      '1',
      'GET',
      '/v1/messaging/providers',
      200,
      { total: 2, providers: [provider, { ...provider, $id: 'p2', options: [] }] },
      KEY,
    );
    expect(await verdict(listed)).toEqual({ findings: [], deviations: ['provider-options-empty-array'] });
    const mixed = jsonInteraction('1', 'GET', '/v1/messaging/providers', 200, { total: 1, providers: [{ ...provider, options: [], enabled: 'yes' }] }, KEY);
    expect(await verdict(mixed)).toEqual({
      findings: [['type-mismatch', '/providers/*/enabled', 'must be boolean']],
      deviations: ['provider-options-empty-array'],
    });
    const text = answer(one(null), { headers: { 'content-type': 'text/plain' }, body: { kind: 'text', value: 'x' } });
    expect((await verdict(text)).deviations).toEqual([]);
  });

  // A list's documents may leave out `$collectionId` and `$databaseId` as well (app/controllers/api/databases.php:3100-3118 at 1.5.0).
  it('leaves out only the four system fields a select may drop, of one document, and those and the two location fields of each in a list', async () => {
    const document = { $id: 'd1', $collectionId: 'c1', $databaseId: 'db1', $createdAt: DATE, $updatedAt: DATE, $permissions: [], title: 'T' };
    const { $id: _id, $createdAt: _c, $updatedAt: _u, $permissions: _p, ...selected } = document;
    const listed = (documents: unknown[]) =>
      jsonInteraction('1', 'GET', '/v1/databases/db1/collections/c1/documents', 200, { total: documents.length, documents }, KEY);
    expect(await verdict(listed([selected, document]))).toEqual({ findings: [], deviations: ['select-omits-system-fields'] });
    // Positions of two digits and more too.
    expect(await verdict(listed([...Array.from({ length: 10 }, () => document), selected]))).toEqual({
      findings: [],
      deviations: ['select-omits-system-fields'],
    });
    const { $collectionId: _collection, $databaseId: _database, ...noLocation } = selected;
    expect(await verdict(listed([noLocation]))).toEqual({ findings: [], deviations: ['select-omits-system-fields'] });
    const located = jsonInteraction('1', 'GET', '/v1/databases/db1/collections/c1/documents/d1', 200, noLocation, KEY);
    expect(await verdict(located)).toEqual({
      findings: [
        ['required-missing', '/$collectionId', 'required field "$collectionId" is missing'],
        ['required-missing', '/$databaseId', 'required field "$databaseId" is missing'],
      ],
      deviations: ['select-omits-system-fields'],
    });
    const got = jsonInteraction(
      '1',
      'GET',
      '/v1/databases/db1/collections/c1/documents/d1',
      200,
      { $id: 'd1', $collectionId: 'c1', $databaseId: 'db1', title: 'T' },
      KEY,
    );
    expect(await verdict(got)).toEqual({ findings: [], deviations: ['select-omits-system-fields'] });
    // Another operation with the same shape of answer gets no such allowance.
    const other = jsonInteraction('1', 'GET', '/v1/users/ada', 200, { ...user('ada', 'Ada'), $id: undefined }, KEY);
    expect((await verdict(other)).findings).toEqual([['required-missing', '/$id', 'required field "$id" is missing']]);
  });
});
