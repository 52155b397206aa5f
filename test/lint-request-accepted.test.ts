import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintCassettes, type Interaction } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

/**
 * What `lint` says about the recorded requests: a request the server accepted is judged against the 1.5.0 contract,
 * one it refused is not (it agrees with a contract that refuses it), and a route the spec lacks is named.
 */
describe('lint: which recorded requests are judged', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /** The findings of linting these interactions, as `[operationId, side, kind, path, message]`. */
  async function findings(...interactions: Interaction[]): Promise<[string | null, string, string, string, string][]> {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-request-'));
    dirs.push(dir);
    await writeCassette(dir, 'requests', interactions);
    const report = await lintCassettes({ cassettes: dir });
    expect(report.knownDeviations).toEqual([]);
    return report.operations.flatMap((op) =>
      op.findings.map((f): [string | null, string, string, string, string] => [op.operationId, f.side, f.kind, f.path, f.message]),
    );
  }
  const key = { 'x-appwrite-key': '[redacted]' };
  const created = (body: unknown, status = 201, headers: Record<string, string> = key): Interaction =>
    jsonInteraction(
      '1',
      'POST',
      '/v1/users',
      status,
      status < 400 ? user('ada', 'Ada') : { message: 'Invalid', code: status, type: 'general_argument_invalid', version: '1.5.0' },
      {
        headers: { ...headers, 'content-type': 'application/json' },
        body: { kind: 'json', value: body },
      },
    );

  it('reports a request the server accepted without a required parameter, and not the same request it refused', async () => {
    expect(await findings(created({ email: 'ada@example.com' }))).toEqual([
      ['usersCreate', 'request', 'parameter-missing', '/userId', 'Param "userId" is not optional.'],
    ]);
    expect(await findings(created({ email: 'ada@example.com' }, 400))).toEqual([]);
    expect(await findings(created({ userId: 'ada' }))).toEqual([]);
  });

  it('reports an accepted JSON request whose recorded body is not JSON', async () => {
    const text = { ...created(null), request: { ...created(null).request, body: { kind: 'text' as const, value: '{oops' } } };
    expect(await findings(text)).toEqual([['usersCreate', 'request', 'body-invalid', '', 'request body is not valid JSON: the recorded body is not JSON']]);
  });

  it('takes any redacted credential header as the credentials a server route needs, and reports a request with none', async () => {
    for (const name of ['x-appwrite-key', 'x-appwrite-session', 'x-appwrite-jwt', 'cookie', 'authorization']) {
      expect([name, await findings(created({ userId: 'ada' }, 201, { [name]: '[redacted]' }))]).toEqual([name, []]);
    }
    expect(await findings(created({ userId: 'ada' }, 201, {}))).toEqual([
      ['usersCreate', 'request', 'parameter-missing', 'header.credentials', 'User (role: guests) missing scope (users.write)'],
    ]);
  });

  it('reports a route outside the base path or unknown to the spec, saying where the spec has its operation', async () => {
    expect(await findings(jsonInteraction('1', 'GET', '/v2/health', 200, {}))).toEqual([
      [null, 'request', 'operation-unknown', '', 'GET /v2/health matches no operation of Appwrite 1.5.0'],
    ]);
    expect(await findings({ ...jsonInteraction('1', 'get', '/v1/people/ada', 200, {}), operationId: 'usersGet' })).toEqual([
      [
        'usersGet',
        'request',
        'operation-unknown',
        '',
        'GET /v1/people/ada matches no operation of Appwrite 1.5.0; the spec has usersGet at GET /v1/users/{userId}',
      ],
    ]);
  });

  it("takes Appwrite's own 404 for a route it does not have, and no other answer, as agreeing with the spec", async () => {
    const notFound = (status: number, type: string) =>
      jsonInteraction('1', 'GET', '/v1/nothing', status, { message: 'Route not found.', code: status, type, version: '1.5.0' });
    expect(await findings(notFound(404, 'general_route_not_found'))).toEqual([]);
    expect((await findings(notFound(404, 'general_not_found'))).map((f) => f[2])).toEqual(['operation-unknown']);
    expect((await findings(notFound(500, 'general_route_not_found'))).map((f) => f[2])).toEqual(['operation-unknown']);
    const text = {
      ...notFound(404, 'general_route_not_found'),
      response: { status: 404, headers: {}, body: { kind: 'text' as const, value: 'general_route_not_found' } },
    };
    expect((await findings(text)).map((f) => f[2])).toEqual(['operation-unknown']);
    expect((await findings({ ...notFound(404, 'x'), response: { status: 404, headers: {}, body: { kind: 'json', value: null } } })).map((f) => f[2])).toEqual([
      'operation-unknown',
    ]);
  });
});
