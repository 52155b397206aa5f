import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintCassettes, type Interaction } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

/**
 * What `lint` says about a recorded request that the server accepted while Appwrite 1.5.0's router would have
 * refused it or not known a part of it (utopia-php/framework 0.33.2, App::getArguments and App::validate).
 */
describe('lint: the request side of the contract', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /** The findings of linting these interactions, as `[kind, severity, side, path, message]`. */
  async function findings(...interactions: Interaction[]): Promise<[string, string, string, string, string][]> {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-request-'));
    dirs.push(dir);
    await writeCassette(dir, 'requests', interactions);
    const report = await lintCassettes({ cassettes: dir });
    return report.operations.flatMap((op) => op.findings.map((f): [string, string, string, string, string] => [f.kind, f.severity, f.side, f.path, f.message]));
  }
  /** The request findings' example values, as `[path, value]`; `'(none)'` where the finding has none. */
  async function values(...interactions: Interaction[]): Promise<[string, unknown][]> {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-request-'));
    dirs.push(dir);
    await writeCassette(dir, 'requests', interactions);
    const report = await lintCassettes({ cassettes: dir });
    return report.operations.flatMap((op) =>
      op.findings.filter((f) => f.side === 'request').map((f): [string, unknown] => [f.path, 'value' in f.example ? f.example.value : '(none)']),
    );
  }
  const KEY = { 'x-appwrite-key': '[redacted]', 'content-type': 'application/json' };
  const created = (body: unknown, headers: Record<string, string> = KEY): Interaction =>
    jsonInteraction('1', 'POST', '/v1/users', 201, user('ada', 'Ada'), { headers, body: body === undefined ? null : { kind: 'json', value: body } });
  const qr = (query: Record<string, string | string[]>): Interaction => ({
    ...jsonInteraction('1', 'GET', '/v1/avatars/qr', 200, null, { headers: KEY, query }),
    response: { status: 200, headers: { 'content-type': 'image/png' }, body: { kind: 'base64', value: 'iVBORw0KGgo=' } },
  });

  it('finds nothing in a request Appwrite takes', async () => {
    expect(await findings(created({ userId: 'ada', email: 'ada@example.com', password: 'password-123', name: 'Ada' }))).toEqual([]);
    expect(await findings(qr({ text: 'hi', size: '10', download: 'true' }))).toEqual([]);
  });

  it("reports a missing required parameter, of the body and of the query, in the router's words", async () => {
    expect(await findings(created({ email: 'ada@example.com' }))).toEqual([
      ['parameter-missing', 'error', 'request', '/userId', 'Param "userId" is not optional.'],
    ]);
    expect(await findings(qr({ size: '10' }))).toEqual([['parameter-missing', 'error', 'request', 'query.text', 'Param "text" is not optional.']]);
  });

  it('reports a body or query name no parameter has as a warning, each once', async () => {
    expect(await findings(created({ userId: 'ada', nickname: 'A' }))).toEqual([
      ['parameter-unknown', 'warning', 'request', '/nickname', 'body parameter "nickname" is not declared'],
    ]);
    expect(await findings(qr({ text: 'hi', colour: 'red' }))).toEqual([
      ['parameter-unknown', 'warning', 'request', 'query.colour', 'query parameter "colour" is not declared'],
    ]);
  });

  it("reports a value the parameter's validator refuses, with that validator's description", async () => {
    expect(await findings(qr({ text: 'hi', download: 'yes' }))).toEqual([
      ['parameter-invalid', 'error', 'request', 'query.download', 'Value must be a valid boolean'],
    ]);
    expect(await findings(created({ userId: '_ada' }))).toEqual([
      [
        'parameter-invalid',
        'error',
        'request',
        '/userId',
        "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
      ],
    ]);
    expect(await findings(created({ userId: 'ada', email: 'ada' }))).toEqual([
      ['parameter-invalid', 'error', 'request', '/email', 'Value must be a valid email address'],
    ]);
    // users.php:191: userId is required; Text has a minimum of 1 unless the route says 0.
    expect(await findings(created({ userId: 'ada', name: 42 }))).toEqual([['parameter-invalid', 'error', 'request', '/name', 'Value must be a valid string']]);
    expect(await findings(created({ userId: 'ada', name: null }))).toEqual([]);
  });

  it('names the offending value as it was sent, and none for a missing or unknown parameter', async () => {
    expect(await values(qr({ text: 'hi', download: 'yes' }))).toEqual([['query.download', 'yes']]);
    expect(await values(qr({ colour: 'red' }))).toEqual([
      ['query.text', '(none)'],
      ['query.colour', '(none)'],
    ]);
    expect(await values(created({ userId: 'ada', email: 7, name: null, nickname: 'A', password: 'password-1' }))).toEqual([
      ['/email', 7],
      ['/nickname', '(none)'],
    ]);
    expect(await values(created({ userId: null }))).toEqual([['/userId', null]]);
    expect(await values(jsonInteraction('1', 'GET', '/v1/users/_ada', 200, user('ada', 'Ada'), { headers: KEY }))).toEqual([['path.userId', '_ada']]);
  });

  it('reports an empty required text and a null for a required parameter that is not Nullable', async () => {
    const team = (body: unknown): Interaction =>
      jsonInteraction('1', 'POST', '/v1/teams', 201, { $id: 't', name: 'T' }, { headers: KEY, body: { kind: 'json', value: body } });
    const contract = (await findings(team({ teamId: 't', name: '' }))).filter(([, , side]) => side === 'request');
    expect(contract).toEqual([['parameter-invalid', 'error', 'request', '/name', 'Value must be a valid string and at least 1 chars']]);
    const nullName = (await findings(team({ teamId: 't', name: null }))).filter(([, , side]) => side === 'request');
    expect(nullName).toEqual([['parameter-invalid', 'error', 'request', '/name', 'Value must be a valid string, got null']]);
  });

  it('reports a path value that is no UID, and a path value outside its WhiteList', async () => {
    expect(await findings(jsonInteraction('1', 'GET', '/v1/users/_ada', 200, user('ada', 'Ada'), { headers: KEY }))).toEqual([
      [
        'parameter-invalid',
        'error',
        'request',
        'path.userId',
        "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore",
      ],
    ]);
    const browser = {
      ...jsonInteraction('1', 'GET', '/v1/avatars/browsers/zz', 200, null, { headers: KEY }),
      response: { status: 200, headers: { 'content-type': 'image/png' }, body: { kind: 'base64' as const, value: 'iVBORw0KGgo=' } },
    };
    expect(await findings(browser)).toEqual([
      ['parameter-invalid', 'error', 'request', 'path.code', 'Value must be one of (aa, an, ch, ci, cm, cr, ff, sf, mf, ps, oi, om, op, on)'],
    ]);
  });

  it('reports a body that is no JSON object, or text where JSON is declared', async () => {
    const text = (headers: Record<string, string>): Interaction => ({
      ...created(undefined, headers),
      request: { ...created(undefined, headers).request, body: { kind: 'text', value: 'userId=ada' } },
    });
    expect(await findings(text(KEY))).toEqual([['body-invalid', 'error', 'request', '', 'request body is not valid JSON: the recorded body is not JSON']]);
    expect(await findings(text({ 'x-appwrite-key': '[redacted]', 'content-type': 'text/plain' }))).toEqual([
      ['media-type-undeclared', 'error', 'request', '', 'request body is neither JSON nor multipart'],
      ['parameter-missing', 'error', 'request', '/userId', 'Param "userId" is not optional.'],
    ]);
    expect(await findings(created('ada'))).toEqual([['body-invalid', 'error', 'request', '', 'request body must be a JSON object']]);
    const bytes = { ...created(undefined, { 'x-appwrite-key': '[redacted]', 'content-type': 'application/octet-stream' }) };
    bytes.request = { ...bytes.request, body: { kind: 'base64', value: 'AAEC' } };
    expect((await findings(bytes))[0]).toEqual(['media-type-undeclared', 'error', 'request', '', 'request body is neither JSON nor multipart']);
    // An operation without a body takes whatever arrives.
    const deleted = {
      ...jsonInteraction('1', 'DELETE', '/v1/users/ada', 204, null, {
        headers: { 'x-appwrite-key': '[redacted]', 'content-type': 'text/plain' },
        body: { kind: 'text', value: 'x' },
      }),
    };
    deleted.response = { status: 204, headers: {}, body: null };
    expect(await findings(deleted)).toEqual([]);
  });

  it('reports a request without a credential for an operation that needs one, and leaves refused requests alone', async () => {
    const listed = jsonInteraction('1', 'GET', '/v1/users', 200, { total: 0, users: [] }, { headers: {} });
    expect(await findings(listed)).toEqual([['parameter-missing', 'error', 'request', 'header.credentials', 'User (role: guests) missing scope (users.read)']]);
    const refused = jsonInteraction(
      '1',
      'POST',
      '/v1/users',
      400,
      { message: 'Param "userId" is not optional.', code: 400, type: 'general_argument_invalid', version: '1.5.0' },
      { headers: KEY, body: { kind: 'json', value: {} } },
    );
    expect(await findings(refused)).toEqual([]);
  });
});
