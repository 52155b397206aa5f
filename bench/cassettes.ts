import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../dist/index.js';
import type { Interaction, VcrResponse } from '../dist/index.js';
import type { BenchRequest } from './load.js';

/** Asks a replay server (schema fallback) for the answers to `requests`, as a recording would hold them. */
export async function recordAnswers(requests: BenchRequest[], cassettes: string): Promise<Interaction[]> {
  const answers = new Map<string, VcrResponse>();
  const server = await startServer({
    port: 0,
    cassettes,
    fallback: 'schema',
    onExchange: (event) => answers.set(`${event.method} ${event.url}`, event.result.response),
  });
  const interactions: Interaction[] = [];
  try {
    for (const [i, request] of requests.entries()) {
      const res = await fetch(`${server.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      await res.arrayBuffer();
      const response = answers.get(`${request.method} ${request.path}`);
      if (!response || res.status >= 300) throw new Error(`no usable answer for ${request.method} ${request.path}: ${res.status}`);
      interactions.push(toInteraction(String(i), request, response));
    }
  } finally {
    await server.close();
  }
  return interactions;
}

export function toInteraction(id: string, request: BenchRequest, response: VcrResponse): Interaction {
  const url = new URL(request.path, 'http://x');
  const query: Record<string, string | string[]> = {};
  for (const [rawName, value] of url.searchParams) {
    const name = rawName.replace(/\[\d*\]$/, '');
    if (name !== rawName) ((query[name] ??= []) as string[]).push(value);
    else query[name] = value;
  }
  return {
    id,
    operationId: null,
    recordedAt: '2026-11-27T00:00:00.000Z',
    durationMs: 1,
    request: { method: request.method, path: url.pathname, query, headers: {}, body: request.body ? { kind: 'json', value: JSON.parse(request.body) } : null },
    response: { status: response.status, headers: { 'content-type': 'application/json' }, body: response.body },
  };
}

/** A cassette of `size` interactions: the benchmark's requests first, then distinct user lookups. */
export async function writeBenchCassette(dir: string, name: string, base: Interaction[], size: number): Promise<string> {
  const interactions = [...base];
  const template = base.find((i) => i.request.path.startsWith('/v1/users/'));
  if (!template) throw new Error('the base interactions need a user lookup');
  for (let i = interactions.length; i < size; i++) {
    const id = `user-${i}`;
    const body = template.response.body?.kind === 'json' ? { kind: 'json' as const, value: { ...(template.response.body.value as object), $id: id } } : null;
    interactions.push({ ...template, id: String(i), request: { ...template.request, path: `/v1/users/${id}` }, response: { ...template.response, body } });
  }
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const cassette = {
    format: 'appwrite-vcr-cassette',
    version: 1,
    meta: { createdAt: '2026-11-27T00:00:00.000Z', createdBy: 'appwrite-vcr bench', specVersion: '1.5.0' },
    interactions,
  };
  await writeFile(file, JSON.stringify(cassette));
  return file;
}

/** A state file holding what the benchmark's requests read: made through the API itself, then saved. */
export async function writeSeed(file: string, cassettes: string): Promise<string> {
  const server = await startServer({ port: 0, cassettes, fallback: 'stateful', state: file });
  const headers = { 'x-appwrite-project': 'bench', 'x-appwrite-key': 'bench-key', 'content-type': 'application/json' };
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(`${server.endpoint}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`seeding ${path}: ${res.status} ${await res.text()}`);
  };
  try {
    await post('/users', { userId: 'bench-user', name: 'Ada Lovelace', email: 'ada@example.com' });
    await post('/databases', { databaseId: 'bench-db', name: 'Bench' });
    await post('/databases/bench-db/collections', { collectionId: 'books', name: 'Books' });
    await post('/databases/bench-db/collections/books/attributes/string', { key: 'title', size: 128, required: true });
    for (const [i, title] of ['Dune', 'Dune', 'Emma', 'Dracula'].entries()) {
      await post('/databases/bench-db/collections/books/documents', { documentId: `book-${i}`, data: { title } });
    }
  } finally {
    await server.close();
  }
  return file;
}
