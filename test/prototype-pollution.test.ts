import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../src/index.js';
import { jsonInteraction, writeCassette } from './support/cassette.js';
import { startTestServer, type TestServer } from './support/server.js';
import { PINNED_SPEC } from './support/spec-files.js';

/** Both classic payloads, as text: a JavaScript literal would set a prototype, not a key. */
const POISON = '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}';
const poisoned = (json: string): unknown => JSON.parse(`{${POISON},${json.slice(1)}`);
const BASELINE = Object.getOwnPropertyNames(Object.prototype).sort();

/** The servers run in this process: a pollution anywhere in them shows up here. */
function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(BASELINE);
  expect(Object.prototype.constructor).toBe(Object);
}

describe('no prototype pollution from any JSON the tool parses', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-pollution-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(expectNoPollution);

  describe('requests', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ cassettes: join(dir, 'request-cassettes') });
    });
    afterAll(() => server.stop());

    it('creates a user from a poisoned body without taking values from the poison', async () => {
      const res = await server.call('POST', '/users', { body: `{${POISON},"__proto__":{"email":"injected@example.com"},"userId":"p1","name":"Pat"}` });
      expect(res.status).toBe(201);
      const created = (await res.json()) as Record<string, unknown>;
      expect(created.email).toBe('');
      expect(created).not.toHaveProperty('polluted');
      // The undeclared keys are reported as such, not taken for declared parameters.
      expect(res.headers.get('x-vcr-violations')).toBe('2');
    });

    it('keeps __proto__ inside free-form preferences as data', async () => {
      expect((await server.call('POST', '/users', { body: { userId: 'prefs1', name: 'Prefs' } })).status).toBe(201);
      const res = await server.call('PATCH', '/users/prefs1/prefs', { body: `{"prefs":{${POISON},"theme":"dark"}}` });
      expect(res.status).toBe(200);
      const read = await server.call('GET', '/users/prefs1/prefs');
      const text = await read.text();
      expect(text).toContain('"__proto__":{"polluted":true}');
      expect(text).toContain('"theme":"dark"');
    });

    it('refuses a document whose data holds __proto__ as the unknown attribute it is', async () => {
      await server.call('POST', '/databases', { body: { databaseId: 'db', name: 'db' } });
      await server.call('POST', '/databases/db/collections', { body: { collectionId: 'c', name: 'c' } });
      await server.call('POST', '/databases/db/collections/c/attributes/string', { body: { key: 'title', size: 64, required: false } });
      const res = await server.call('POST', '/databases/db/collections/c/documents', { body: `{"documentId":"d1","data":{${POISON},"title":"t"}}` });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: 'document_invalid_structure' });
      const asText = await server.call('POST', '/databases/db/collections/c/documents', {
        body: JSON.stringify({ documentId: 'd2', data: `{${POISON},"title":"t"}` }),
      });
      expect(asText.status).toBe(400);
    });

    it("treats an attribute called constructor as any other, never as Object's", async () => {
      expect((await server.call('POST', '/databases', { body: { databaseId: 'dbk', name: 'dbk' } })).status).toBe(201);
      await server.call('POST', '/databases/dbk/collections', { body: { collectionId: 'k', name: 'k' } });
      await server.call('POST', '/databases/dbk/collections/k/attributes/string', { body: { key: 'constructor', size: 64, required: true } });
      const missing = await server.call('POST', '/databases/dbk/collections/k/documents', { body: { documentId: 'k1', data: { other: 1 } } });
      expect(await missing.json()).toMatchObject({ code: 400, message: 'Invalid document structure: Missing required attribute "constructor"' });
      const created = await server.call('POST', '/databases/dbk/collections/k/documents', { body: { documentId: 'k2', data: { constructor: 'kept' } } });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ $id: 'k2', constructor: 'kept' });
    });

    it('answers poisoned query strings, queries, multipart fields and headers', async () => {
      const queries = encodeURIComponent(`{"method":"equal","attribute":"name","values":["a"],${POISON}}`);
      expect((await server.call('GET', `/users?__proto__[polluted]=1&constructor[prototype][polluted]=1&queries[0]=${queries}`)).status).toBe(200);
      expect((await server.call('GET', '/users?queries[__proto__]=x')).status).toBeLessThan(500);
      const form = new FormData();
      form.set('fileId', 'f1');
      form.set('__proto__[polluted]', 'true');
      form.set('constructor[prototype][polluted]', 'true');
      form.set('file', new Blob(['x']), 'x.txt');
      const upload = await fetch(`${server.endpoint}/storage/buckets/b/files`, {
        method: 'POST',
        headers: { 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' },
        body: form,
      });
      expect(await upload.json()).toEqual({
        message: 'Storage bucket with the requested ID could not be found.',
        code: 404,
        type: 'storage_bucket_not_found',
        version: '1.5.0',
      });
      const header = await server.call('GET', '/users', {
        headers: { 'x-vcr-cassette': '__proto__', 'x-appwrite-jwt': `e30.${Buffer.from(`{${POISON}}`).toString('base64url')}.x` },
      });
      expect(await header.json()).toEqual({
        message: 'Failed to verify JWT. Invalid token: Missing header algo',
        code: 401,
        type: 'user_jwt_invalid',
        version: '1.5.0',
      });
    });
  });

  it('replays a poisoned cassette, matching and answering __proto__ keys as recorded data', async () => {
    const folder = join(dir, 'cassettes');
    const recorded = jsonInteraction('1', 'POST', '/v1/users', 201, poisoned('{"$id":"p2","name":"Pat"}'), {
      body: { kind: 'json', value: poisoned('{"userId":"p2","name":"Pat"}') },
    });
    const file = await writeCassette(folder, 'poisoned', [recorded]);
    const text = await readFile(file, 'utf8');
    await writeFile(file, `{${POISON},${text.trimStart().slice(1).replace('"meta": {', `"meta": {${POISON},`)}`);
    const server = await startTestServer({ cassettes: folder, cassette: 'poisoned', fallback: 'schema' });
    try {
      const res = await server.call('POST', '/users', { body: `{${POISON},"userId":"p2","name":"Pat"}` });
      expect(res.headers.get('x-vcr-source')).toBe('cassette');
      expect(res.status).toBe(201);
      expect(await res.text()).toContain('"__proto__":{"polluted":true}');
    } finally {
      await server.stop();
    }
  });

  it('loads poisoned JSON and YAML specs', async () => {
    const text = await readFile(PINNED_SPEC, 'utf8');
    const json = join(dir, 'poisoned.json');
    await writeFile(json, `{${POISON},${text.trimStart().slice(1).replace('"schemas": {', `"schemas": {${POISON},`)}`);
    expect((await loadSpec(json)).operations).toHaveLength(259);
    expectNoPollution();
    const yaml = join(dir, 'poisoned.yaml');
    await writeFile(yaml, toYaml(JSON.parse(await readFile(json, 'utf8'))));
    expect(await readFile(yaml, 'utf8')).toContain('__proto__:');
    expect((await loadSpec(yaml)).operations).toHaveLength(259);
  });

  it('loads a poisoned state file, or refuses it, without pollution', async () => {
    const state = join(dir, 'state.json');
    const first = await startTestServer({ cassettes: join(dir, 'state-cassettes'), state });
    expect((await first.call('POST', '/users', { body: { userId: 'kept', name: 'Kept' } })).status).toBe(201);
    await first.stop();
    const saved = await readFile(state, 'utf8');

    // Poison at the top, in a stored model: the state loads and the user is still there.
    await writeFile(state, `{${POISON},${saved.trimStart().slice(1).replace('"name":"Kept"', `"name":"Kept",${POISON}`)}`);
    const second = await startTestServer({ cassettes: join(dir, 'state-cassettes'), state });
    try {
      const res = await second.call('GET', '/users/kept');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { name: string }).name).toBe('Kept');
    } finally {
      await second.stop();
    }
    expectNoPollution();

    // Poison where the tables are: refused with a clear error.
    await writeFile(state, saved.replace('"data":{', `"data":{${POISON},`));
    await expect(startTestServer({ cassettes: join(dir, 'state-cassettes'), state })).rejects.toThrow(
      /Failed to read state ".*state\.json": "__proto__" is not a table/,
    );
  });
});
