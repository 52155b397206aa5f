import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintCassettes, type Interaction } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

/**
 * What `lint` says about each way a recorded answer can break the 1.5.0 contract, one cassette per test. Appwrite's
 * error answers are `{message, code, type, version}` with `code` the HTTP status (src/Appwrite/Extend/Exception.php
 * and app/controllers/general.php's error handler at 1.5.0).
 */
describe('lint: the response side of the contract', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /** The findings of linting these interactions, as `[operationId, kind, path, message]`. */
  async function findings(...interactions: Interaction[]): Promise<[string | null, string, string, string][]> {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-response-'));
    dirs.push(dir);
    await writeCassette(dir, 'answers', interactions);
    const report = await lintCassettes({ cassettes: dir });
    return report.operations.flatMap((op) => op.findings.map((f): [string | null, string, string, string] => [op.operationId, f.kind, f.path, f.message]));
  }
  const withBody = (interaction: Interaction, response: Partial<Interaction['response']>): Interaction => ({
    ...interaction,
    response: { ...interaction.response, ...response },
  });
  const key = { headers: { 'x-appwrite-key': '[redacted]' } };
  const notFound = { message: 'User with the requested ID could not be found.', code: 404, type: 'user_not_found', version: '1.5.0' };

  it('finds nothing in a well-formed answer and a well-formed error answer', async () => {
    expect(
      await findings(
        jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada'), key),
        jsonInteraction('2', 'GET', '/v1/users/bob', 404, notFound, key),
      ),
    ).toEqual([]);
  });

  it('reports an error answer whose code differs from its status, or that lacks a field, or is no JSON', async () => {
    expect(await findings(jsonInteraction('1', 'GET', '/v1/users/ada', 404, { ...notFound, code: 400 }, key))).toEqual([
      ['usersGet', 'error-malformed', '/code', 'error code 400 differs from the HTTP status 404'],
    ]);
    expect(await findings(jsonInteraction('1', 'GET', '/v1/users/ada', 404, { message: 'x', code: 404, type: 'user_not_found' }, key))).toEqual([
      ['usersGet', 'error-malformed', '/version', expect.stringMatching(/^error answer: /) as string],
    ]);
    expect(
      await findings(
        withBody(jsonInteraction('1', 'GET', '/v1/users/ada', 500, null, key), {
          headers: { 'content-type': 'text/html' },
          body: { kind: 'text', value: '<h1>oops</h1>' },
        }),
      ),
    ).toEqual([['usersGet', 'error-malformed', '', "error answer 500 is not Appwrite's error JSON"]]);
  });

  it('reports a success status the operation does not declare, naming the declared ones', async () => {
    expect(await findings(jsonInteraction('1', 'GET', '/v1/users/ada', 201, user('ada', 'Ada'), key))).toEqual([
      ['usersGet', 'status-undeclared', '', 'status 201 is not declared by usersGet (declared: 200)'],
    ]);
  });

  it('reports a 204 with a body, and a body that is not JSON where JSON is declared', async () => {
    const deleted = withBody(jsonInteraction('1', 'DELETE', '/v1/users/ada', 204, null, key), { headers: {}, body: { kind: 'text', value: 'gone' } });
    expect(await findings(deleted)).toEqual([['usersDelete', 'media-type-undeclared', '', 'a 204 answer must have no body']]);
    expect(await findings(withBody(deleted, { body: null }))).toEqual([]);
    const text = withBody(jsonInteraction('1', 'GET', '/v1/users/ada', 200, null, key), {
      headers: { 'content-type': 'application/json' },
      body: { kind: 'text', value: 'not json' },
    });
    expect(await findings(text)).toEqual([['usersGet', 'type-mismatch', '', 'body must be JSON, got text']]);
  });

  it('reports a media type the status does not declare, and takes any image type where image/* is declared', async () => {
    const html = withBody(jsonInteraction('1', 'GET', '/v1/users/ada', 200, null, key), {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: { kind: 'text', value: '<p/>' },
    });
    expect(await findings(html)).toEqual([
      ['usersGet', 'media-type-undeclared', '', 'media type "text/html" is not declared for status 200 (declared: application/json)'],
    ]);
    const png = withBody(jsonInteraction('1', 'GET', '/v1/avatars/initials', 200, null, key), {
      headers: { 'content-type': 'image/png' },
      body: { kind: 'base64', value: 'iVBORw0KGgo=' },
    });
    expect(await findings(png)).toEqual([]);
  });

  it('reports the wrong type of a field at its JSON pointer', async () => {
    const answer = await findings(jsonInteraction('1', 'GET', '/v1/users/ada', 200, { ...user('ada', 'Ada'), status: 'yes' }, key));
    expect(answer).toEqual([['usersGet', 'type-mismatch', '/status', 'must be boolean']]);
  });
});
