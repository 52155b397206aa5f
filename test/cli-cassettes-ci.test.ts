import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import type { Summary } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { runCli } from './support/cli.js';

const HEADERS = { 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' };

/** A cassette with three recordings, of which a run uses one (`GET /users/ada`). */
async function threeRecordings(dir: string): Promise<string> {
  return writeCassette(dir, 'default', [
    { ...jsonInteraction('get-ada', 'GET', '/v1/users/ada', 200, user('ada', 'Ada')), operationId: 'usersGet' },
    { ...jsonInteraction('get-old', 'GET', '/v1/users/old', 200, user('old', 'Old')), operationId: 'usersGet' },
    { ...jsonInteraction('list-old', 'GET', '/v1/users', 200, { total: 0, users: [] }, { query: { search: 'old' } }), operationId: 'usersList' },
  ]);
}

describe('cassettes in CI on the command line', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-cli-ci-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a miss under --fallback none with the nearest recording, logs why, and exits with 3 under --fail-on-miss with the misses and unused recordings in the summary', async () => {
    await threeRecordings(join(dir, 'cassettes'));
    const summaryFile = join(dir, 'summary.json');
    const run = runCli(['replay', '--port', '0', '--cassettes', join(dir, 'cassettes'), '--fallback', 'none', '--fail-on-miss', '--summary-json', summaryFile]);
    const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    expect((await fetch(`${endpoint}/users/ada`, { headers: HEADERS })).status).toBe(200);
    const miss = await fetch(`${endpoint}/users?search=new`, { headers: HEADERS });
    expect(miss.status).toBe(510);
    expect(await miss.json()).toMatchObject({
      type: 'vcr_cassette_miss',
      code: 510,
      message: expect.stringContaining('#2 (list-old): query search: recorded "old", sent "new"') as unknown,
    });
    await run.waitFor(/no recording matched: nearest recording #2 \(list-old\) of cassette "default" differs at query search: recorded "old", sent "new"/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(3);
    expect(run.stdout()).toMatch(
      /misses 1 \(requests no recording matched\)\n {4}GET \/v1\/users\?search=new \(usersList\) in "default": nearest recording #2/,
    );
    expect(run.stdout()).toMatch(/unused recordings .*\n {4}default: 2 - #1 usersGet, #2 usersList/);
    expect(run.stdout()).toMatch(/failed: 1 request matched no recording/);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as Summary;
    expect(summary).toMatchObject({ misses: 1, failed: true, unused: { default: [{ id: 'get-old' }, { id: 'list-old' }] } });
  });

  it('exits with 3 under --fail-on-miss with the stateful fallback too, and with 0 when nothing missed', async () => {
    await threeRecordings(join(dir, 'cassettes'));
    const run = runCli(['replay', '--port', '0', '--cassettes', join(dir, 'cassettes'), '--fail-on-miss']);
    const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    expect((await fetch(`${endpoint}/users?search=new`, { headers: HEADERS })).status).toBe(200);
    await run.waitFor(/usersList state:default.*\n {4}no recording matched: nearest recording #2/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(3);

    const clean = runCli(['replay', '--port', '0', '--cassettes', join(dir, 'cassettes'), '--fail-on-miss']);
    const [, again] = await clean.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    expect((await fetch(`${again}/users/ada`, { headers: HEADERS })).status).toBe(200);
    await clean.waitFor(/usersGet cassette:default/);
    clean.child.kill('SIGTERM');
    expect(await clean.exited).toBe(0);
  });

  it('prunes the unused recordings of a summary: a dry run lists them and changes nothing, --write rewrites the cassette, which still loads and replays', async () => {
    const cassettes = join(dir, 'cassettes');
    const file = await threeRecordings(cassettes);
    const summaryFile = join(dir, 'summary.json');
    const first = runCli(['replay', '--port', '0', '--cassettes', cassettes, '--summary-json', summaryFile]);
    const [, endpoint] = await first.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    expect((await fetch(`${endpoint}/users/ada`, { headers: HEADERS })).status).toBe(200);
    await first.waitFor(/usersGet cassette:default/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await first.waitFor(/summary written to /);

    const before = await readFile(file, 'utf8');
    const dry = runCli(['prune', '--cassettes', cassettes, '--from', summaryFile]);
    expect(await dry.exited).toBe(0);
    expect(dry.stdout()).toContain(
      `default (${file}): would remove 2, 1 kept\n  - #1 usersGet GET /v1/users/old (get-old)\n  - #2 usersList GET /v1/users (list-old)\n`,
    );
    expect(dry.stdout()).toContain('Dry run: nothing changed. Run again with --write to remove 2 unused recordings in 1 cassette.');
    expect(await readFile(file, 'utf8')).toBe(before);

    const write = runCli(['prune', '--cassettes', cassettes, '--from', summaryFile, '--write']);
    expect(await write.exited).toBe(0);
    expect(write.stdout()).toContain('Removed 2 unused recordings in 1 cassette.');
    const pruned = parseCassette(await readFile(file, 'utf8'), file);
    expect(pruned.interactions.map((i) => i.id)).toEqual(['get-ada']);
    expect(pruned.meta).toEqual(parseCassette(before, file).meta);
    // Nothing left beside it: no temporary file, no lock.
    expect((await readdir(cassettes)).sort()).toEqual(['default.json']);

    const replay = runCli(['replay', '--port', '0', '--cassettes', cassettes, '--fallback', 'none', '--fail-on-miss']);
    const [, next] = await replay.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    const res = await fetch(`${next}/users/ada`, { headers: HEADERS });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ $id: 'ada', name: 'Ada' });
    expect((await fetch(`${next}/users/old`, { headers: HEADERS })).status).toBe(510);
    replay.child.kill('SIGTERM');
    expect(await replay.exited).toBe(3);
  });

  it('refuses to prune a cassette whose name in the summary leads out of the folder', async () => {
    const summaryFile = join(dir, 'summary.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(summaryFile, JSON.stringify({ unused: { '../outside': [{ id: 'x' }] } })));
    const run = runCli(['prune', '--cassettes', join(dir, 'cassettes'), '--from', summaryFile, '--write']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/Failed to use cassette "\.\.\/outside"/);
  });
});
