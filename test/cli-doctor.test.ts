import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { arch, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/index.js';
import { runCli } from './support/cli.js';
import { PINNED_SPEC, REPO_ROOT, sharedFile } from './support/spec-files.js';

const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const pin = JSON.parse(await readFile(join(REPO_ROOT, 'spec', 'pin.json'), 'utf8')) as { version: string; sha256: string };
const short = pin.sha256.slice(0, 12);

describe('what appwrite-vcr says about itself', () => {
  it('has the version of its package.json, which cassettes record as their creator', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it("prints its version, the Appwrite spec it pins and that spec's sha256 prefix for --version", async () => {
    const run = runCli(['--version']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe(`appwrite-vcr ${pkg.version} (Appwrite spec ${pin.version}, sha256 ${short})\n`);
  });

  it('names its version, the spec version and its sha256 prefix in the start lines of replay and record', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-start-'));
    try {
      const replay = runCli(['replay', '--port', '0', '--cassettes', cassettes]);
      const [line] = await replay.waitFor(/^.* at http:\/\/127\.0\.0\.1:\d+\/v1$/m);
      expect(line).toMatch(new RegExp(`^appwrite-vcr ${pkg.version} replay: Appwrite ${pin.version} \\(259 operations, sha256 ${short} pinned\\) at `));
      replay.child.kill('SIGTERM');
      expect(await replay.exited).toBe(0);

      const other = sharedFile('specs', 'open-api3-1.6.2-server.json');
      const record = runCli(['record', '--port', '0', '--cassettes', cassettes, '--spec', other, '--upstream', 'http://127.0.0.1:9/v1']);
      const [recordLine] = await record.waitFor(/^.* -> http:\/\/127\.0\.0\.1:9\/v1$/m);
      // Any other spec is named by its own digest, without "pinned".
      expect(recordLine).toMatch(/^appwrite-vcr \S+ record: Appwrite 1\.6\.2 \(265 operations, sha256 7ca1bba95677\) at http:\/\/127\.0\.0\.1:\d+\/v1 -> /);
      record.child.kill('SIGTERM');
      expect(await record.exited).toBe(0);
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});

describe('appwrite-vcr doctor', () => {
  it('prints in one block the version, Node, OS, the verified spec, the cassettes folder and the options replay would use', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-doctor-'));
    try {
      const token = 'doctor-admin-token-0123456789';
      const run = runCli(['doctor', '--cassettes', cassettes, '--port', '4321', '--fallback', 'schema', '--redact', '$.secretField', '--admin-token', token]);
      expect(await run.exited).toBe(0);
      expect(run.stderr()).toBe('');
      expect(run.stdout()).toBe(
        [
          'appwrite-vcr doctor',
          `  package    appwrite-vcr ${pkg.version} (${REPO_ROOT})`,
          `  node       ${process.version} (${process.execPath})`,
          `  os         ${platform()} ${release()} ${arch()}`,
          `  spec       ${PINNED_SPEC} (bundled)`,
          `             Appwrite ${pin.version}, 259 operations`,
          `             sha256 ${pin.sha256}, verified: the Appwrite ${pin.version} spec that spec/pin.json pins`,
          `  cassettes  ${cassettes} (0 cassette files)`,
          '  options    port 4321, host 127.0.0.1, cassette "default", fallback schema, strict off, state none, seed none',
          '             max body 104857600 bytes, store file limit 1048576 bytes, request timeout 60000 ms',
          '             redact $.secretField, id map on, admin token set',
          '  problems   none',
          '',
        ].join('\n'),
      );
      expect(run.stdout()).not.toContain(token);
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });

  it('tells a spec that is not the pinned one, and a folder that does not exist yet', async () => {
    const missing = join(tmpdir(), `vcr-doctor-missing-${process.pid}`);
    const other = sharedFile('specs', 'open-api3-1.5.8-server.json');
    const run = runCli(['doctor', '--spec', other, '--cassettes', missing]);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain(
      `  spec       ${other}\n             Appwrite 1.5.8, 259 operations\n             sha256 8f6650e8092abee1546283824c5c09bb13690746751ad65d28c58e865d6c9597, not the pinned Appwrite ${pin.version} spec\n`,
    );
    expect(run.stdout()).toContain(`  cassettes  ${missing} (no such folder yet: replay starts empty, record creates it)\n`);
  });

  it('exits with 2 and lists what would stop replay: a spec that cannot be read, cassettes that are not a folder', async () => {
    const run = runCli(['doctor', '--spec', '/nonexistent/spec.json', '--cassettes', join(REPO_ROOT, 'package.json')]);
    expect(await run.exited).toBe(2);
    expect(run.stdout()).toContain('sha256 unknown: the file cannot be read');
    expect(run.stdout()).toMatch(
      /problems {3}Failed to read spec "\/nonexistent\/spec\.json": ENOENT.*\n {13}Failed to read cassettes ".*package\.json": not a folder\n$/,
    );
  });

  it('refuses an invalid option with exit 2, as replay does', async () => {
    const run = runCli(['doctor', '--fallback', 'psychic']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/Failed to use option "fallback": "psychic" is not one of stateful, schema/);
  });
});
