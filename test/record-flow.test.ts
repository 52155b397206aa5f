import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCassette, type CassetteFile } from '../src/cassette/cassette-format.js';
import { lintCassettes, REDACTED, renderReport, startRecorder, startServer } from '../src/index.js';
import { startChild, type Child } from './support/child-process.js';
import { runFlow, runUploadFlow12, testFile, type FlowResult } from './support/sdk-flow.js';

const API_KEY = 'standard_3f1c0d2e9b8a7f6e5d4c3b2a1f0e9d8c';
const PASSWORD = 'correct horse battery staple 42';

describe('record a realistic node-appwrite flow, then replay it without the upstream', () => {
  let cassettes: string;
  let upstream: Child;
  let recorded: FlowResult;
  let replayed: FlowResult;
  let cassette: CassetteFile;
  let upstreamStopped = false;

  beforeAll(async () => {
    cassettes = await mkdtemp(join(tmpdir(), 'vcr-record-flow-'));
    upstream = await startChild('test/support/fake-appwrite.ts', [], { FAKE_API_KEY: API_KEY });
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes, cassette: 'flow' });
    try {
      recorded = await runFlow(recorder.endpoint, API_KEY, PASSWORD);
    } finally {
      await recorder.close();
      await upstream.stop();
      upstreamStopped = true;
    }
    cassette = parseCassette(await readFile(join(cassettes, 'flow.json'), 'utf8'), 'flow.json');
    const replay = await startServer({ port: 0, cassettes, cassette: 'flow' });
    try {
      replayed = await runFlow(replay.endpoint, API_KEY, PASSWORD);
    } finally {
      await replay.close();
    }
  }, 90_000);

  afterAll(async () => {
    if (!upstreamStopped) await upstream?.stop();
    await rm(cassettes, { recursive: true, force: true });
  });

  it("returns from every SDK call in replay what it returned while recording, with the new run's IDs", () => {
    expect(replayed.ids).toHaveLength(recorded.ids.length);
    expect(new Set([...replayed.ids, ...recorded.ids]).size).toBe(recorded.ids.length * 2);
    // The recording, with each recorded ID swapped for the replay run's ID made at the same step.
    let expected = JSON.stringify(recorded.results);
    recorded.ids.forEach((id, i) => (expected = expected.split(id).join(replayed.ids[i] as string)));
    const want = JSON.parse(expected) as Record<string, Record<string, unknown>>;
    // What a cassette must not keep: the session secret, and the password hash of user answers.
    for (const [step, field] of [
      ['session', 'secret'],
      ['user', 'password'],
      ['account', 'password'],
    ] as const) {
      expect(want[step]?.[field]).toEqual(expect.stringMatching(/^(?!\[redacted\]).{20,}/));
      (want[step] as Record<string, unknown>)[field] = REDACTED;
    }
    // The session secret replays as a fresh one of the recorded shape (hex, 128 characters), the hashes as the placeholder.
    const replayedSecret = (replayed.results.session as { secret?: unknown }).secret;
    expect(replayedSecret).toMatch(/^[0-9a-f]{128}$/);
    expect(replayedSecret).not.toBe((recorded.results.session as { secret?: unknown }).secret);
    (want.session as Record<string, unknown>).secret = replayedSecret;
    expect(replayed.results).toEqual(want);
  });

  it('matches a request with a new ID only through the ID map, which --no-id-map turns off', async () => {
    const body = JSON.stringify({ databaseId: '6700000000000abcdef1', name: 'Library' });
    const headers = { 'content-type': 'application/json', 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': 'any' };
    for (const idMap of [true, false]) {
      const replay = await startServer({ port: 0, cassettes, cassette: 'flow', idMap });
      try {
        const res = await fetch(`${replay.endpoint}/databases`, { method: 'POST', headers, body });
        expect(res.headers.get('x-vcr-source')).toBe(idMap ? 'cassette' : 'fallback');
        expect(((await res.json()) as { $id: string }).$id).toBe('6700000000000abcdef1');
      } finally {
        await replay.close();
      }
    }
  });

  it('downloads in replay the uploaded file byte for byte', () => {
    expect(Buffer.from(replayed.results.download as string, 'base64').equals(testFile())).toBe(true);
    expect(replayed.results.download).toBe(recorded.results.download);
  });

  it('stores each upload chunk as its own interaction, with file parts described rather than kept', () => {
    const chunks = cassette.interactions.filter((i) => i.operationId === 'storageCreateFile');
    expect(chunks.map((i) => i.request.headers['content-range'])).toEqual(['bytes 0-5242879/6000000', 'bytes 5242880-5999999/6000000']);
    const body = chunks[0]?.request.body;
    expect(body?.kind).toBe('multipart');
    if (body?.kind !== 'multipart') return;
    expect(body.fields.fileId).toBe(recorded.ids.at(-1));
    expect(body.files).toEqual([
      {
        field: 'file',
        filename: 'big.bin',
        contentType: 'application/octet-stream',
        size: 5_242_880,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      },
    ]);
  });

  it('stores compressed answers decoded, as JSON', () => {
    const create = cassette.interactions.find((i) => i.operationId === 'databasesCreate');
    expect(create?.request.headers['accept-encoding']).toMatch(/gzip/);
    expect(create?.response.headers['content-encoding']).toBeUndefined();
    expect(create?.response.body).toMatchObject({ kind: 'json', value: { $id: recorded.ids[0], name: 'Library' } });
  });

  it('leaves no API key, password or session secret anywhere in the cassette folder', async () => {
    const secret = (recorded.results.session as { secret: string }).secret;
    expect(secret.length).toBeGreaterThan(20);
    const needles = [API_KEY, PASSWORD, secret].flatMap((s) => [s, Buffer.from(s).toString('base64'), JSON.stringify(s).slice(1, -1)]);
    const names = await readdir(cassettes, { recursive: true });
    expect(names).toContain('flow.json');
    for (const name of names) {
      const bytes = await readFile(join(cassettes, name)).catch(() => null);
      if (!bytes) continue;
      for (const needle of needles) expect(bytes.includes(needle), `${needle.slice(0, 12)}… in ${name}`).toBe(false);
    }
    const headers = cassette.interactions.map((i) => i.request.headers);
    expect(headers.filter((h) => h['x-appwrite-key'] === REDACTED).length).toBe(cassette.interactions.length - 1);
    expect(headers.filter((h) => h['x-appwrite-session'] === REDACTED)).toHaveLength(1);
  });

  it('leaves no API key, password or session secret in any lint report of that folder', async () => {
    const secret = (recorded.results.session as { secret: string }).secret;
    const report = await lintCassettes({ cassettes, failOn: 'never' });
    expect(report.summary.interactions).toBe(cassette.interactions.length);
    for (const format of ['text', 'json', 'junit', 'html'] as const) {
      const text = renderReport(report, format);
      expect(text.length).toBeGreaterThan(100);
      for (const needle of [API_KEY, PASSWORD, secret]) expect(text.includes(needle), `${needle.slice(0, 12)}… in the ${format} report`).toBe(false);
    }
  });
});

describe('record and replay a chunked upload of node-appwrite 12', () => {
  it('replays the 404 probe, every chunk and the download, so the upload completes with the new IDs', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-record-12-'));
    const upstream = await startChild('test/support/fake-appwrite.ts', [], { FAKE_API_KEY: API_KEY });
    let recorded: FlowResult;
    try {
      const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes });
      try {
        recorded = await runUploadFlow12(recorder.endpoint, API_KEY);
      } finally {
        await recorder.close();
      }
    } finally {
      await upstream.stop();
    }
    try {
      const cassette = parseCassette(await readFile(join(cassettes, 'default.json'), 'utf8'), 'default.json');
      expect(cassette.interactions.map((i) => `${i.operationId} ${i.response.status}`)).toEqual([
        'storageCreateBucket 201',
        'storageGetFile 404',
        'storageCreateFile 201',
        'storageCreateFile 201',
        'storageGetFileDownload 200',
      ]);
      const replay = await startServer({ port: 0, cassettes });
      let replayed: FlowResult;
      try {
        replayed = await runUploadFlow12(replay.endpoint, API_KEY);
      } finally {
        await replay.close();
      }
      let expected = JSON.stringify(recorded.results);
      recorded.ids.forEach((id, i) => (expected = expected.split(id).join(replayed.ids[i] as string)));
      expect(replayed.results).toEqual(JSON.parse(expected));
      expect(Buffer.from(replayed.results.download as string, 'base64').equals(testFile())).toBe(true);
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});
