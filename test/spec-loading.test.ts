import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../src/index.js';
import { APPWRITE_ERRORS } from '../src/model/appwrite-error.js';
import { schemaValidatorFor } from '../src/spec/schema-validator.js';
import { flattenOperations } from '../src/spec/flatten-operations.js';
import { OpenAPIRouter } from 'openapi-backend/router.js';
import { PINNED_SPEC, REPO_ROOT, sharedFile } from './support/spec-files.js';
import { startTestServer } from './support/server.js';

const DATE = '2026-01-01T00:00:00.000+00:00';

describe('loading Appwrite specs', () => {
  it.each([
    ['1.4.13', 174],
    ['1.5.0', 259],
    ['1.5.8', 259],
    ['1.6.2', 265],
  ])('loads the Appwrite %s server spec with its %i operations', async (version, count) => {
    const spec = await loadSpec(sharedFile('specs', `open-api3-${version}-server.json`));
    expect(spec.version).toBe(version);
    expect(spec.operations).toHaveLength(count);
    expect(spec.basePath).toBe('/v1');
  });

  it.each(['1.4.13', '1.5.0', '1.5.8', '1.6.2'])('flattens the %s spec into the same operations as openapi-backend does', async (version) => {
    const doc = JSON.parse(await readFile(sharedFile('specs', `open-api3-${version}-server.json`), 'utf8')) as { paths: Record<string, unknown> };
    const theirs = new OpenAPIRouter({ definition: doc as never, apiRoot: '/' }).getOperations();
    const ours = flattenOperations(doc);
    expect(ours.length).toBeGreaterThan(150);
    expect(ours).toEqual(theirs);
  });

  it('knows the pinned spec by its sha256, and checks the schemas of any other spec against the meta-schema', async () => {
    const pinned = await loadSpec(PINNED_SPEC);
    expect([pinned.pinned, pinned.sha256]).toEqual([true, '3a2103885bae09fd71a04e29e4f610829c1d7fc28f2e514a3dd0d308f42e593d']);
    const other = await loadSpec(sharedFile('specs', 'open-api3-1.5.8-server.json'));
    expect([other.pinned, other.sha256]).toEqual([false, '8f6650e8092abee1546283824c5c09bb13690746751ad65d28c58e865d6c9597']);
    const dir = await mkdtemp(join(tmpdir(), 'vcr-meta-'));
    try {
      // The same document with one schema broken (`type` must be a string or a list of them).
      const doc = JSON.parse(await readFile(PINNED_SPEC, 'utf8')) as { components: { schemas: Record<string, Record<string, unknown>> } };
      (doc.components.schemas.user as Record<string, unknown>).type = 5;
      const broken = join(dir, 'broken.json');
      await writeFile(broken, JSON.stringify(doc));
      const spec = await loadSpec(broken);
      expect(spec.pinned).toBe(false);
      await expect(schemaValidatorFor(spec)).rejects.toThrow(/^Failed to load spec: the schema "user" is invalid: data\/type must be/);
      // Every other Appwrite spec passes the check, and its validator checks answers against that spec's models.
      const team = { $id: 't1', $createdAt: DATE, $updatedAt: DATE, name: 5, total: 1, prefs: { data: {} } };
      for (const version of ['1.4.13', '1.5.8', '1.6.2']) {
        const validator = await schemaValidatorFor(await loadSpec(sharedFile('specs', `open-api3-${version}-server.json`)));
        const check = validator.checker({ $ref: '#/components/schemas/team' });
        expect(check(team), version).toEqual([{ kind: 'type-mismatch', severity: 'error', path: '/name', message: 'must be string', value: 5 }]);
        expect(check({ ...team, name: 'Team' }), version).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves a YAML copy of the spec the same way as the JSON one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-yaml-'));
    const yamlFile = join(dir, 'appwrite.yaml');
    await writeFile(yamlFile, stringify(JSON.parse(await readFile(PINNED_SPEC, 'utf8'))));
    const server = await startTestServer({ spec: yamlFile, fallback: 'schema' });
    try {
      expect(server.spec.operations).toHaveLength(259);
      const res = await server.call('GET', '/users/ada');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { $id: string }).$id).toBe('ada');
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not an OpenAPI 3 document with a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-bad-spec-'));
    const file = join(dir, 'not-a-spec.json');
    await writeFile(file, '{"swagger": "2.0"}');
    await expect(loadSpec(file)).rejects.toMatchObject({ code: 'SPEC_INVALID', message: expect.stringContaining('not an OpenAPI 3 document') });
    await rm(dir, { recursive: true, force: true });
  });

  it("uses error types whose status and description are Appwrite 1.5.0's own", async () => {
    const table = JSON.parse(await readFile(sharedFile('errors-1.5.0.json'), 'utf8')) as Record<string, { code: number; description: string }>;
    for (const [type, error] of Object.entries(APPWRITE_ERRORS)) expect([type, table[type]]).toEqual([type, error]);
  });
});

describe('the install step that pins the spec', () => {
  const script = join(REPO_ROOT, 'scripts', 'fetch-spec.mjs');

  it('copies the spec from the shared folder after checking its sha256', async () => {
    const target = await mkdtemp(join(tmpdir(), 'vcr-vendor-'));
    const run = spawnSync(process.execPath, [script], { env: { ...process.env, APPWRITE_VCR_SPEC_DIR: target }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(await readFile(join(target, 'open-api3-1.5.0-server.json'))).toEqual(await readFile(PINNED_SPEC));
    await rm(target, { recursive: true, force: true });
  });

  it('refuses a spec whose sha256 differs, and says how to fix it', async () => {
    const target = await mkdtemp(join(tmpdir(), 'vcr-vendor-'));
    const shared = await mkdtemp(join(tmpdir(), 'vcr-shared-'));
    await mkdir(join(shared, 'specs'));
    await copyFile(sharedFile('specs', 'open-api3-1.5.8-server.json'), join(shared, 'specs', 'open-api3-1.5.0-server.json'));
    const run = spawnSync(process.execPath, [script], {
      env: { ...process.env, APPWRITE_VCR_SPEC_DIR: target, APPWRITE_VCR_SHARED_DIR: shared },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /has sha256 [0-9a-f]{64}, but spec\/pin.json pins 3a2103885bae.*replace it with the one at https:\/\/raw\.githubusercontent\.com/,
    );
    await rm(target, { recursive: true, force: true });
    await rm(shared, { recursive: true, force: true });
  });

  it('names the URL to download when no copy is at hand and downloads are off', async () => {
    const target = await mkdtemp(join(tmpdir(), 'vcr-vendor-'));
    const empty = await mkdtemp(join(tmpdir(), 'vcr-empty-'));
    const fetchRun = spawnSync(process.execPath, [script], {
      env: { ...process.env, APPWRITE_VCR_SPEC_DIR: target, APPWRITE_VCR_SHARED_DIR: empty, APPWRITE_VCR_OFFLINE: '1' },
      encoding: 'utf8',
    });
    expect(fetchRun.status).toBe(1);
    expect(fetchRun.stderr).toMatch(/no local copy of open-api3-1\.5\.0-server\.json.*raw\.githubusercontent\.com/);
    await rm(target, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });
});
