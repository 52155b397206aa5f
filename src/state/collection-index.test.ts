import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../auth/caller.js';
import type { Credentials } from '../auth/credentials.js';
import { AppwriteState } from './appwrite-state.js';
import { firstInOrder, lastInOrder } from './first-in-order.js';

const credentials = { project: 'p', key: 'k', session: null, sessionFrom: null, jwt: '' } as Credentials;
const KEY: Caller = Object.freeze({ role: 'apps', credentials, userId: null, sessionId: null, email: null, refusal: null });
const DB = 'idx';
/** Two collections holding the same documents: `plain` declares no index, `indexed` a key index on each attribute. */
const COLLECTIONS = ['plain', 'indexed'] as const;

function call(state: AppwriteState, operationId: string, params: Record<string, unknown>): { status: number; body: unknown } {
  const response = state.answer({ operationId, params, headers: {}, files: new Map(), caller: KEY });
  return { status: response?.status ?? 0, body: response?.body?.kind === 'json' ? response.body.value : null };
}

function make(state: AppwriteState, operationId: string, params: Record<string, unknown>): void {
  const { status, body } = call(state, operationId, params);
  if (status >= 300) throw new Error(`${operationId}: ${status} ${JSON.stringify(body)}`);
}

function setUp(state: AppwriteState): void {
  make(state, 'databasesCreate', { databaseId: DB, name: DB });
  for (const collectionId of COLLECTIONS) {
    const ids = { databaseId: DB, collectionId };
    make(state, 'databasesCreateCollection', { ...ids, name: collectionId });
    make(state, 'databasesCreateStringAttribute', { ...ids, key: 'category', size: 16, required: false });
    make(state, 'databasesCreateIntegerAttribute', { ...ids, key: 'score', required: false });
    make(state, 'databasesCreateStringAttribute', { ...ids, key: 'code', size: 16, required: false });
    if (collectionId === 'indexed') {
      make(state, 'databasesCreateIndex', { ...ids, key: 'by_category', type: 'key', attributes: ['category'] });
      make(state, 'databasesCreateIndex', { ...ids, key: 'by_score', type: 'key', attributes: ['score'], orders: ['DESC'] });
      make(state, 'databasesCreateIndex', { ...ids, key: 'by_code', type: 'key', attributes: ['code'] });
    }
  }
}

/** Writes the same to both collections. */
function both(state: AppwriteState, operationId: string, params: Record<string, unknown>): void {
  for (const collectionId of COLLECTIONS) make(state, operationId, { databaseId: DB, collectionId, ...params });
}

function fill(state: AppwriteState, count: number, from = 0): void {
  for (let i = from; i < from + count; i++) {
    // Few scores, so that orders have ties; numeric text in `code`, which an equal on a number matches.
    both(state, 'databasesCreateDocument', { documentId: `d${i}`, data: { category: `c${i % 4}`, score: (i * 7) % 50, code: String(i % 10) } });
  }
}

const q = (method: string, attribute = '', values?: unknown[]) => JSON.stringify({ method, attribute, ...(values ? { values } : {}) });

const LISTS: string[][] = [
  [q('equal', 'category', ['c1']), q('greaterThan', 'score', [20]), q('orderDesc', 'score')],
  [q('equal', 'category', ['c1']), q('greaterThan', 'score', [20]), q('orderAsc', 'score')],
  [q('equal', 'category', ['c2', 'c3']), q('orderDesc', 'score'), q('limit', '', [40]), q('offset', '', [7])],
  [q('equal', 'score', [14]), q('orderAsc', 'category')],
  [q('equal', 'category', ['c0']), q('orderDesc', 'score'), q('orderAsc', '$id')],
  [q('orderDesc', 'score'), q('limit', '', [100])],
  [q('equal', 'code', ['3']), q('orderDesc', 'score')],
  [q('equal', 'category', ['nowhere']), q('orderDesc', 'score')],
  [q('equal', 'category', ['c1']), q('orderDesc', 'score'), q('cursorAfter', '', ['d101'])],
  [q('equal', 'category', ['c1']), q('orderDesc', 'score'), q('cursorBefore', '', ['d101']), q('limit', '', [5])],
  [q('equal', 'category', ['c1']), q('orderDesc', 'score'), q('cursorAfter', '', ['d2'])],
];

/** Each list's answer from each collection: ids, total, or the error; the two must be the same. */
function answers(state: AppwriteState): { plain: unknown[]; indexed: unknown[] } {
  const of = (collectionId: string) =>
    LISTS.map((queries) => {
      // Three times: an index's order is built for the second list between writes, and then walked.
      let answer: { status: number; body: unknown } = { status: 0, body: null };
      for (let i = 0; i < 3; i++) answer = call(state, 'databasesListDocuments', { databaseId: DB, collectionId, queries });
      const body = answer.body as { total?: number; documents?: { $id: string }[]; type?: string; message?: string };
      return answer.status === 200
        ? { total: body.total, ids: body.documents?.map((d) => d.$id) }
        : { status: answer.status, type: body.type, message: body.message };
    });
  return { plain: of('plain'), indexed: of('indexed') };
}

function expectSame(state: AppwriteState): { plain: unknown[]; indexed: unknown[] } {
  const result = answers(state);
  expect(result.indexed).toEqual(result.plain);
  return result;
}

describe("a collection's declared indexes never change a list's answer", () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  it('answers the same with and without indexes after creates, updates of indexed values, deletes and an attribute deleted and made again', async () => {
    const state = await AppwriteState.open({ version: '1.5.0' });
    setUp(state);
    fill(state, 600);
    const first = expectSame(state);
    expect(first.plain[0]).toMatchObject({ total: expect.any(Number) as number });
    fill(state, 50, 600);
    expectSame(state);
    for (let i = 0; i < 600; i += 9) both(state, 'databasesUpdateDocument', { documentId: `d${i}`, data: { category: 'c1', score: 49 - (i % 50) } });
    expectSame(state);
    for (let i = 3; i < 600; i += 11) both(state, 'databasesDeleteDocument', { documentId: `d${i}` });
    expectSame(state);
    // The column goes with its values in place (every document written): an order built before must not outlive it.
    both(state, 'databasesDeleteAttribute', { key: 'score' });
    expect(expectSame(state).indexed[0]).toMatchObject({ status: 400 });
    both(state, 'databasesCreateIntegerAttribute', { key: 'score', required: false });
    const remade = expectSame(state);
    // No document has a score now: ties all through, in creation order.
    expect(remade.indexed[5]).toMatchObject({ total: 650 - 55, ids: remade.plain.length > 0 ? expect.any(Array) : [] });
    await state.close();
  });

  it('answers the same after a checkpoint is restored, a reset, and a state saved and loaded again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-index-'));
    const file = join(dir, 'state.json');
    const state = await AppwriteState.open({ version: '1.5.0', file });
    setUp(state);
    fill(state, 400);
    const before = expectSame(state);
    const restore = state.checkpoint();
    for (let i = 0; i < 400; i += 3) both(state, 'databasesUpdateDocument', { documentId: `d${i}`, data: { category: 'c3', score: 1 } });
    expect(expectSame(state)).not.toEqual(before);
    restore();
    expect(expectSame(state)).toEqual(before);
    await state.close();
    const loaded = await AppwriteState.open({ version: '1.5.0', file });
    expect(expectSame(loaded)).toEqual(before);
    loaded.reset();
    setUp(loaded);
    fill(loaded, 30);
    expectSame(loaded);
    await loaded.close();
  });

  it('counts totals up to 5,000 with and without indexes, and pages past the first 5,000 matches alike', async () => {
    const state = await AppwriteState.open({ version: '1.5.0' });
    setUp(state);
    for (let i = 0; i < 5_300; i++)
      both(state, 'databasesCreateDocument', { documentId: `d${i}`, data: { category: i % 20 === 0 ? 'c9' : 'c1', score: i % 50 } });
    const list = (collectionId: string, queries: string[]) => {
      let answer = call(state, 'databasesListDocuments', { databaseId: DB, collectionId, queries });
      for (let i = 0; i < 2; i++) answer = call(state, 'databasesListDocuments', { databaseId: DB, collectionId, queries });
      const body = answer.body as { total: number; documents?: { $id: string }[]; message?: string };
      return { status: answer.status, total: body.total, ids: body.documents?.map((d) => d.$id), message: body.message };
    };
    for (const queries of [
      [q('equal', 'category', ['c1']), q('orderDesc', 'score')],
      [q('equal', 'category', ['c1']), q('orderAsc', 'score'), q('offset', '', [4_990]), q('limit', '', [40])],
      [q('equal', 'category', ['c9']), q('orderDesc', 'score')],
    ]) {
      const plain = list('plain', queries);
      expect(list('indexed', queries)).toEqual(plain);
    }
    expect(list('indexed', [q('equal', 'category', ['c1']), q('orderDesc', 'score')]).total).toBe(5_000);
    expect(list('indexed', [q('equal', 'category', ['c9'])]).total).toBe(265);
    await state.close();
  });
});

describe('firstInOrder and lastInOrder', () => {
  it('give the same items as a full sort, first or last, for every count', () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ value: (i * 37) % 41, order: i }));
    const compare = (a: { value: number; order: number }, b: { value: number; order: number }) => b.value - a.value || a.order - b.order;
    const sorted = [...items].sort(compare);
    for (const count of [0, 1, 2, 25, 74, 75, 76, 299, 300, 400]) {
      expect(firstInOrder(items, count, compare)).toEqual(sorted.slice(0, count));
      expect(lastInOrder(items, count, compare)).toEqual(count === 0 ? [] : sorted.slice(-count));
    }
  });
});
