import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('appwrite-vcr replay on the command line', () => {
  it('starts on the asked port, serves, and prints a summary when stopped with SIGTERM', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-cli-'));
    const run = runCli(['replay', '--port', '0', '--cassettes', cassettes, '--fallback', 'schema']);
    const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    const res = await fetch(`${endpoint}/users/ada`, { headers: { 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ $id: 'ada' });
    await run.waitFor(/200 GET \/v1\/users\/ada usersGet schema/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/requests 1, cassette hits 0, fallbacks 1/);
    expect(run.stdout()).not.toMatch(/\u001b\[/);
    await rm(cassettes, { recursive: true, force: true });
  });

  it('prints the request and response violations by operation in the summary', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-cli-'));
    const run = runCli(['replay', '--port', '0', '--cassettes', cassettes]);
    const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    await fetch(`${endpoint}/users?unknownParam=1`, { headers: { 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' } });
    await run.waitFor(/parameter-unknown query\.unknownParam/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/usersList: 1 request, 0 response/);
    await rm(cassettes, { recursive: true, force: true });
  });

  it('keeps the values of secret query parameters out of its log', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-cli-'));
    const run = runCli(['replay', '--port', '0', '--cassettes', cassettes, '--fallback', 'schema']);
    const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    await fetch(`${endpoint}/users?secret=TOP-SECRET-1&password=PASS-WORD-2&search=ada`, {
      headers: { 'x-appwrite-project': 'p', 'x-appwrite-key': 'KEY-VALUE-3' },
    });
    await run.waitFor(/GET \/v1\/users\?secret=\[redacted\]&password=\[redacted\]&search=ada/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    for (const secret of ['TOP-SECRET-1', 'PASS-WORD-2', 'KEY-VALUE-3']) expect(run.stdout() + run.stderr()).not.toContain(secret);
    await rm(cassettes, { recursive: true, force: true });
  });

  it('exits with 2 and a clear message for an unknown flag', async () => {
    const run = runCli(['replay', '--colour-me-surprised']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/Unknown arguments?: colour-me-surprised/);
  });

  it('exits with 2 and says how to fix a missing spec', async () => {
    const run = runCli(['replay', '--port', '0', '--spec', '/nonexistent/spec.json']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/Failed to read spec "\/nonexistent\/spec.json".*--spec FILE/);
  });

  it('exits with 2 when the port is taken', async () => {
    const first = runCli(['replay', '--port', '0']);
    const [, port] = await first.waitFor(/127\.0\.0\.1:(\d+)\/v1/);
    const second = runCli(['replay', '--port', String(port)]);
    expect(await second.exited).toBe(2);
    expect(second.stderr()).toMatch(/Failed to listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
