import { createHash } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInteraction, writeCassette } from './support/cassette.js';
import { runNpm, startNpx, type Finished } from './support/npm.js';
import { packPackage, type Packed } from './support/pack-package.js';
import { PINNED_SPEC, REPO_ROOT } from './support/spec-files.js';

const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const pin = JSON.parse(await readFile(join(REPO_ROOT, 'spec', 'pin.json'), 'utf8')) as { version: string; sha256: string };
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const HEALTH = { name: 'http', ping: 0, status: 'pass' };
const CREDENTIALS = { 'x-appwrite-project': 'ci', 'x-appwrite-key': 'ci-key' };

/**
 * The package as a user gets it: packed once (prepack and prepare included), installed with npm into a
 * fresh project whose only source is the registry (and npm's cache), then run through npx, on the
 * Node that runs this suite (`.ci/run` runs it on every supported line).
 */
describe('the npm package installed from its tarball', () => {
  let work: string;
  let project: string;
  let packed: Packed;
  let install: Finished;
  const installed = (...parts: string[]): string => join(project, 'node_modules', 'appwrite-vcr', ...parts);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vcr-package-'));
    packed = await packPackage(work);
    if (packed.tarball === null) throw new Error(`npm pack failed (${packed.run.code}):\n${packed.run.stdout}\n${packed.run.stderr}`);
    project = join(work, 'project');
    await writeCassette(join(project, 'cassettes'), 'default', [
      jsonInteraction('health-1', 'GET', '/v1/health', 200, HEALTH, { headers: { ...CREDENTIALS, 'x-appwrite-key': '[redacted]' } }),
    ]);
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'vcr-user-project', version: '1.0.0', private: true })}\n`);
    install = await runNpm(['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball], project);
    if (install.code !== 0) throw new Error(`npm install of the tarball failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
  }, 180_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('holds the built code, the CLI, the README, both licences and the pinned spec, and nothing else', () => {
    const other = packed.files.filter((file) => !file.startsWith('dist/'));
    expect(other).toEqual([
      'LICENSE',
      'README.md',
      'bin/appwrite-vcr.js',
      'package.json',
      'spec/pin.json',
      'spec/vendor/APPWRITE-LICENSE',
      `spec/vendor/open-api3-${pin.version}-server.json`,
    ]);
    const dist = packed.files.filter((file) => file.startsWith('dist/'));
    expect(dist).toContain('dist/index.js');
    expect(dist).toContain('dist/index.d.ts');
    expect(dist).toContain('dist/cli/main.js');
    // No tests, no source maps (they would point at sources the package does not hold).
    expect(dist.filter((file) => !/\.(js|d\.ts)$/.test(file) || /\.test\./.test(file))).toEqual([]);
    expect(packed.size).toBeLessThan(400_000);
  });

  it("ships the spec byte for byte as pinned, with Appwrite's BSD-3-Clause notice beside it", async () => {
    expect(sha256(await readFile(installed('spec', 'vendor', `open-api3-${pin.version}-server.json`)))).toBe(pin.sha256);
    expect(await readFile(installed('spec', 'vendor', `open-api3-${pin.version}-server.json`))).toEqual(await readFile(PINNED_SPEC));
    const notice = await readFile(installed('spec', 'vendor', 'APPWRITE-LICENSE'), 'utf8');
    expect(notice).toContain('Copyright (c) 2019 Appwrite (https://appwrite.io) and individual contributors.');
    expect(notice).toContain('Neither the name Appwrite nor the names of its contributors');
    expect(await readFile(installed('LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} appwrite-vcr contributors\n/);
  });

  it('installs with no engine warning and no install script to run, so nothing is downloaded', async () => {
    expect(install.stdout + install.stderr).not.toMatch(/EBADENGINE/);
    const manifest = JSON.parse(await readFile(installed('package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const script of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[script]).toBeUndefined();
    expect(packed.files.some((file) => file.startsWith('scripts/'))).toBe(false);
  });

  it('serves GET /v1/health from a cassette with `npx appwrite-vcr replay` on an ephemeral port', async () => {
    const run = startNpx(['appwrite-vcr', 'replay', '--port', '0'], project);
    try {
      const [line, endpoint] = await run.waitFor(/^.* at (http:\/\/127\.0\.0\.1:\d+\/v1)$/m);
      expect(line).toBe(
        `appwrite-vcr ${pkg.version} replay: Appwrite ${pin.version} (259 operations, sha256 ${pin.sha256.slice(0, 12)} pinned) at ${endpoint}`,
      );
      const res = await fetch(`${endpoint}/health`, { headers: CREDENTIALS });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-vcr-source')).toBe('cassette');
      expect(await res.json()).toEqual(HEALTH);
      await run.waitFor(/200 GET \/v1\/health healthGet cassette:default/);
    } finally {
      await run.stop('SIGTERM');
    }
    // npx itself dies of the signal; replay, in the same group, stops cleanly with its summary.
    expect(run.stdout()).toMatch(/requests 1, cassette hits 1, fallbacks 0/);
  });

  it('shows the flags of `npx appwrite-vcr record --help`', async () => {
    const run = startNpx(['appwrite-vcr', 'record', '--help'], project);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/--upstream\s+The Appwrite to record/);
  });

  it('lints the sample cassette with `npx appwrite-vcr lint` and finds it conforms', async () => {
    const run = startNpx(['appwrite-vcr', 'lint', '--cassettes', 'cassettes'], project);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/1 interaction/);
    expect(run.stdout()).toMatch(/healthGet/);
  });

  it('names its version and verified spec in `--version` and `doctor`, run by this Node', async () => {
    const version = startNpx(['appwrite-vcr', '--version'], project);
    expect(await version.exited).toBe(0);
    expect(version.stdout().trim()).toBe(`appwrite-vcr ${pkg.version} (Appwrite spec ${pin.version}, sha256 ${pin.sha256.slice(0, 12)})`);
    const doctor = startNpx(['appwrite-vcr', 'doctor'], project);
    expect(await doctor.exited).toBe(0);
    const report = doctor.stdout();
    expect(report).toContain(`package    appwrite-vcr ${pkg.version} (${installed()})`);
    expect(report).toContain(`node       ${process.version} (${process.execPath})`);
    expect(report).toContain(`${installed('spec', 'vendor', `open-api3-${pin.version}-server.json`)} (bundled)`);
    expect(report).toContain(`sha256 ${pin.sha256}, verified`);
    expect(report).toContain(`cassettes  ${join(project, 'cassettes')} (1 cassette file)`);
    expect(report).toMatch(/problems\s+none\n$/);
  });

  it('refuses to start on a bundled spec that no longer matches its pin, and doctor says so', async () => {
    // A copy of the installed project is damaged, so the other tests keep theirs whole whatever the order.
    const damaged = await mkdtemp(join(work, 'damaged-'));
    await cp(project, damaged, { recursive: true, verbatimSymlinks: true });
    await appendFile(join(damaged, 'node_modules', 'appwrite-vcr', 'spec', 'vendor', `open-api3-${pin.version}-server.json`), ' ');
    const replay = startNpx(['appwrite-vcr', 'replay', '--port', '0'], damaged);
    expect(await replay.exited).toBe(2);
    expect(replay.stderr()).toMatch(
      new RegExp(
        `its sha256 is [0-9a-f]{64}, but spec/pin.json pins ${pin.sha256}\\. The bundled Appwrite spec is damaged or was changed: reinstall appwrite-vcr`,
      ),
    );
    const doctor = startNpx(['appwrite-vcr', 'doctor'], damaged);
    expect(await doctor.exited).toBe(2);
    expect(doctor.stdout()).toMatch(/DOES NOT MATCH spec\/pin\.json/);
  });
});

describe('packing the package', () => {
  it('refuses to pack a spec whose sha256 is not the pinned one', async () => {
    const work = await mkdtemp(join(tmpdir(), 'vcr-pack-bad-'));
    try {
      const packed = await packPackage(work, (root) => appendFile(join(root, 'spec', 'vendor', `open-api3-${pin.version}-server.json`), '\n'));
      expect(packed.tarball).toBeNull();
      expect(packed.run.code).not.toBe(0);
      expect(packed.run.stderr).toMatch(
        new RegExp(`cannot pack: spec/vendor/open-api3-${pin.version}-server\\.json has sha256 [0-9a-f]{64}, but spec/pin\\.json pins ${pin.sha256}`),
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
