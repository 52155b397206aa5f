import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { startTestServer, type TestServer } from './support/server.js';
import { lintCassettes } from '../src/index.js';

const meta = { createdBy: 'test', createdAt: '2026-01-01T00:00:00.000Z', specVersion: '1.5.0' };
const interaction = jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada'));
const cassette = (changes: Record<string, unknown>): string =>
  JSON.stringify({ format: 'appwrite-vcr-cassette', version: 1, meta, interactions: [interaction], ...changes });
const withInteraction = (changes: Record<string, unknown>): string => cassette({ interactions: [{ ...interaction, ...changes }] });

/** Each broken file, and what the error must say about it. */
const MALFORMED: [name: string, text: string, reason: RegExp][] = [
  ['empty', '', /invalid JSON \(the file is empty\)/],
  ['truncated', cassette({}).slice(0, 120), /invalid JSON at line 1, column \d+/],
  ['not-an-object', '[]', /the top level must be an object/],
  ['wrong-format', cassette({ format: 'polly' }), /"format" must be "appwrite-vcr-cassette", got "polly"/],
  ['wrong-version', cassette({ version: 2 }), /unsupported version 2 \(this appwrite-vcr reads version 1\)/],
  ['version-as-text', cassette({ version: '1' }), /unsupported version "1"/],
  ['meta-wrong-type', cassette({ meta: 'yesterday' }), /"meta" must be an object/],
  ['interactions-wrong-type', cassette({ interactions: { 0: interaction } }), /"interactions" must be an array/],
  ['interaction-null', cassette({ interactions: [interaction, null] }), /interaction 1: must be an object/],
  ['interaction-without-id', withInteraction({ id: undefined }), /interaction 0: "id" must be a string/],
  ['interaction-without-request', withInteraction({ request: undefined }), /interaction 0: "request" must be an object/],
  ['interaction-without-response', withInteraction({ response: undefined }), /interaction 0: "response" must be an object/],
  ['method-missing', withInteraction({ request: { ...interaction.request, method: '' } }), /"request.method" must be a non-empty string/],
  ['path-relative', withInteraction({ request: { ...interaction.request, path: 'v1/users' } }), /"request.path" must be a string starting with "\/"/],
  [
    'query-wrong-type',
    withInteraction({ request: { ...interaction.request, query: { limit: 25 } } }),
    /"request.query.limit" must be a string or a list of strings/,
  ],
  ['headers-wrong-type', withInteraction({ request: { ...interaction.request, headers: [] } }), /"request.headers" must be an object/],
  ['status-as-text', withInteraction({ response: { ...interaction.response, status: '200' } }), /"response.status" must be an HTTP status code/],
  ['status-out-of-range', withInteraction({ response: { ...interaction.response, status: 700 } }), /"response.status" must be an HTTP status code/],
  [
    'response-header-object',
    withInteraction({ response: { ...interaction.response, headers: { 'x-a': { b: 1 } } } }),
    /"response.headers.x-a" must be a string or a list of strings/,
  ],
  [
    'body-kind-unknown',
    withInteraction({ response: { ...interaction.response, body: { kind: 'xml', value: '<a/>' } } }),
    /response.body: unknown body kind "xml"/,
  ],
  ['body-without-value', withInteraction({ response: { ...interaction.response, body: { kind: 'json' } } }), /response.body: "value" is missing/],
  [
    'base64-not-text',
    withInteraction({ response: { ...interaction.response, body: { kind: 'base64', value: 12 } } }),
    /response.body: "value" must be a string/,
  ],
  [
    'nested-too-deep',
    withInteraction({
      response: { ...interaction.response, body: { kind: 'json', value: JSON.parse(`${'['.repeat(2_000)}${']'.repeat(2_000)}`) as unknown } },
    }),
    /nested deeper than 512 levels/,
  ],
];

describe('malformed cassette files', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-malformed-'));
    for (const [name, text] of MALFORMED) await writeFile(join(dir, `${name}.json`), text);
    await writeCassette(dir, 'good', [jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada from the good cassette'))]);
    server = await startTestServer({ cassettes: dir, fallback: 'schema' });
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(MALFORMED)('refuses the cassette "%s" with an error that names the file and what is wrong', async (name, _text, reason) => {
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': name } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 500, type: 'general_server_error', version: '1.5.0' });
    expect(body.message).toContain(`Failed to load cassette "${join(dir, `${name}.json`)}"`);
    expect(body.message).toMatch(reason);
  });

  it('keeps serving the good cassette beside all the broken ones', async () => {
    for (const [name] of MALFORMED) await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': name } });
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'good' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vcr-source')).toBe('cassette');
    expect(((await res.json()) as { name: string }).name).toBe('Ada from the good cassette');
  });

  it('loads a broken cassette once it is fixed, without a restart', async () => {
    // A file of its own: the "truncated" one stays broken for the test above, whatever the order.
    await writeFile(join(dir, 'healing.json'), cassette({}).slice(0, 120));
    const broken = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'healing' } });
    expect(broken.status).toBe(500);
    await writeFile(join(dir, 'healing.json'), cassette({}));
    const fixed = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'healing' } });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('x-vcr-source')).toBe('cassette');
  });
});

describe('malformed cassette journals', () => {
  const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
  const header = line({ format: 'appwrite-vcr-journal', version: 1, meta });
  const ada = (id: string, name: string) => jsonInteraction(id, 'GET', '/v1/users/ada', 200, user('ada', name));
  const JOURNALS: [name: string, text: string, reason: RegExp][] = [
    ['no-header', line(ada('1', 'Ada')), /line 1: the first line must be the "appwrite-vcr-journal" header/],
    ['broken-middle-line', `${header}{"id":\n${line(ada('2', 'Ada'))}`, /line 2: invalid JSON/],
    ['not-an-interaction', `${header}${line({ id: 3 })}`, /line 2: "id" must be a string/],
  ];
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-malformed-journal-'));
    for (const [name, text] of JOURNALS) await writeFile(join(dir, `${name}.json.journal`), text);
    // A cassette file and its journal: the journal's last line was cut short by a kill.
    await writeCassette(dir, 'torn', [ada('a', 'Ada from the file')]);
    await writeFile(join(dir, 'torn.json.journal'), `${header}${line(ada('b', 'Ada from the journal'))}{"id":"c","operat`);
    server = await startTestServer({ cassettes: dir, fallback: 'schema' });
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(JOURNALS)('refuses the journal "%s" with an error that names it and the line', async (name, _text, reason) => {
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': name } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 500, type: 'general_server_error', version: '1.5.0' });
    expect(body.message).toContain(`Failed to load cassette journal "${join(dir, `${name}.json.journal`)}"`);
    expect(body.message).toMatch(reason);
  });

  it('replays the file, then the journal, and drops a last line cut short', async () => {
    const names: string[] = [];
    for (let i = 0; i < 3; i++)
      names.push(((await (await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'torn' } })).json()) as { name: string }).name);
    expect(names).toEqual(['Ada from the file', 'Ada from the journal', 'Ada from the journal']);
  });

  it('lint reads the journals: the torn one whole, the broken ones as input problems with their line', async () => {
    const report = await lintCassettes({ cassettes: dir });
    expect(report.inputProblems.map((p) => [p.file, p.message.match(/line \d+/)?.[0]])).toEqual([
      ['broken-middle-line.json.journal', 'line 2'],
      ['no-header.json.journal', 'line 1'],
      ['not-an-interaction.json.journal', 'line 2'],
    ]);
    expect(report.summary.interactions).toBe(2);
  });
});
