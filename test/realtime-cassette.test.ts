import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecorder } from '../src/index.js';
import { connectRealtime } from './support/realtime-client.js';
import { KEY_HEADERS, startTestServer, type TestServer } from './support/server.js';

const PROJECT = KEY_HEADERS['x-appwrite-project'];

/** The writes of a recorded flow: a document and a file, each created, updated and deleted. */
function flow(endpoint: string): (() => Promise<Response>)[] {
  const json = (method: string, path: string, body?: unknown) => () =>
    fetch(`${endpoint}${path}`, {
      method,
      headers: { ...KEY_HEADERS, 'content-type': 'application/json', 'x-vcr-cassette': 'live' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const upload = () => {
    const form = new FormData();
    form.set('fileId', 'f1');
    form.set('permissions[]', 'read("any")');
    form.set('file', new Blob(['hello realtime']), 'hello.txt');
    return fetch(`${endpoint}/storage/buckets/pics/files`, { method: 'POST', headers: { ...KEY_HEADERS, 'x-vcr-cassette': 'live' }, body: form });
  };
  return [
    json('POST', '/databases/db/collections/notes/documents', { documentId: 'r1', data: { title: 'one' }, permissions: ['read("any")'] }),
    json('PATCH', '/databases/db/collections/notes/documents/r1', { data: { title: 'two' } }),
    json('DELETE', '/databases/db/collections/notes/documents/r1'),
    upload,
    json('PUT', '/storage/buckets/pics/files/f1', { name: 'renamed.txt' }),
    json('DELETE', '/storage/buckets/pics/files/f1'),
  ];
}

describe('a write answered from a cassette drives realtime as a live write does', () => {
  let folder = '';
  let replay: TestServer;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vcr-realtime-cassette-'));
    // The recording is made against a replay server standing in for Appwrite: real answers, real multipart bodies.
    const upstream = await startTestServer();
    await upstream.call('POST', '/databases', { body: { databaseId: 'db', name: 'db' } });
    await upstream.call('POST', '/databases/db/collections', { body: { collectionId: 'notes', name: 'Notes' } });
    await upstream.call('POST', '/databases/db/collections/notes/attributes/string', { body: { key: 'title', size: 100, required: false } });
    await upstream.call('POST', '/storage/buckets', { body: { bucketId: 'pics', name: 'Pics', fileSecurity: true } });
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes: folder });
    const statuses: number[] = [];
    for (const write of flow(recorder.endpoint)) statuses.push((await write()).status);
    expect(statuses).toEqual([201, 200, 204, 201, 200, 204]);
    await recorder.close();
    await upstream.stop();
    replay = await startTestServer({ cassettes: folder });
  });
  afterAll(async () => {
    await replay.stop();
    await rm(folder, { recursive: true, force: true });
  });

  // Each test replays the cassette from its first recording.
  beforeEach(() => replay.reset());

  it('sends the delete of a document written before anyone connected with the document as the run last saw it', async () => {
    const [create, update, remove] = flow(replay.endpoint) as [() => Promise<Response>, () => Promise<Response>, () => Promise<Response>];
    expect((await create()).status).toBe(201);
    const updated = (await (await update()).json()) as { title: string };
    expect(updated.title).toBe('two');
    const client = await connectRealtime(replay.endpoint, { project: PROJECT, channels: ['documents'] });
    try {
      await client.next();
      expect((await remove()).status).toBe(204);
      const [, frame] = await client.received(2);
      expect(frame!.data.events as string[]).toContain('databases.db.collections.notes.documents.r1.delete');
      expect(frame!.data.payload).toEqual(updated);
    } finally {
      await client.close();
    }
  });

  it('sends the events of recorded document and file writes in order, the payloads being the recorded answers', async () => {
    const client = await connectRealtime(replay.endpoint, { project: PROJECT, channels: ['documents', 'files'] });
    try {
      await client.next();
      const answers: unknown[] = [];
      for (const write of flow(replay.endpoint)) {
        const answer = await write();
        expect(answer.headers.get('x-vcr-source')).toBe('cassette');
        answers.push(answer.status === 204 ? null : await answer.json());
      }
      const frames = (await client.received(7)).slice(1);
      expect(frames.map((f) => (f.data.events as string[])[0])).toEqual([
        'databases.db.collections.notes.documents.r1.create',
        'databases.db.collections.notes.documents.r1.update',
        'databases.db.collections.notes.documents.r1.delete',
        'buckets.pics.files.f1.create',
        'buckets.pics.files.f1.update',
        'buckets.pics.files.f1.delete',
      ]);
      expect(frames.map((f) => (f.data.events as string[]).length)).toEqual([22, 22, 22, 10, 10, 10]);
      expect(frames.map((f) => f.data.channels)).toEqual([
        ...Array<string[]>(3).fill(['documents', 'databases.db.collections.notes.documents', 'databases.db.collections.notes.documents.r1']),
        ...Array<string[]>(3).fill(['files', 'buckets.pics.files', 'buckets.pics.files.f1']),
      ]);
      // A 204 has no body: the delete carries the resource as the run last saw it, as Appwrite sends the deleted model.
      expect(frames.map((f) => f.data.payload)).toEqual([answers[0], answers[1], answers[1], answers[3], answers[4], answers[4]]);
      expect((answers[1] as { title: string }).title).toBe('two');
    } finally {
      await client.close();
    }
  });
});
