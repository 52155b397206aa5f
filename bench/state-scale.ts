/**
 * The state at scale: one list of a collection of 100,000 documents, answered in-process by
 * `AppwriteState.answer` (the state's request path, as the engine calls it once a request is routed and
 * checked; no HTTP). The collection declares a key index on each filtered or ordered attribute. Each
 * round times LISTS lists after a warm-up and keeps their median.
 */
import { AppwriteState } from '../src/state/appwrite-state.js';
import type { Caller } from '../src/auth/caller.js';
import type { Credentials } from '../src/auth/credentials.js';

export const SCALE_DOCUMENTS = 100_000;
const CATEGORIES = 4;
const LISTS = 200;
const WARMUP = 20;

const credentials: Credentials = { project: 'bench', key: 'bench-key', session: null, sessionFrom: null, jwt: '' } as Credentials;
const KEY: Caller = Object.freeze({ role: 'apps', credentials, userId: null, sessionId: null, email: null, refusal: null });
const ids = { databaseId: 'scale-db', collectionId: 'items' };

/** The list measured: two filters (equal, greaterThan) and an order, 25 documents (the default page). */
export const SCALE_QUERIES = [
  JSON.stringify({ method: 'equal', attribute: 'category', values: ['c1'] }),
  JSON.stringify({ method: 'greaterThan', attribute: 'score', values: [2000] }),
  JSON.stringify({ method: 'orderDesc', attribute: 'score' }),
];

export interface ScaleResult {
  /** Median of the round's lists, and its fastest and slowest. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  setupMs: number;
  total: number;
  page: number;
}

function call(state: AppwriteState, operationId: string, params: Record<string, unknown>): Record<string, unknown> {
  const response = state.answer({ operationId, params, headers: {}, files: new Map(), caller: KEY });
  if (!response || response.status >= 300) throw new Error(`${operationId} answered ${response?.status ?? 'nothing'}: ${JSON.stringify(response?.body)}`);
  return response.body?.kind === 'json' ? (response.body.value as Record<string, unknown>) : {};
}

/** A new state holding the collection, filled through the state's own create route. */
export async function scaleState(documents = SCALE_DOCUMENTS): Promise<AppwriteState> {
  const state = await AppwriteState.open({ version: '1.5.0' });
  call(state, 'databasesCreate', { databaseId: ids.databaseId, name: 'Scale' });
  call(state, 'databasesCreateCollection', { ...ids, name: 'Items' });
  call(state, 'databasesCreateStringAttribute', { ...ids, key: 'category', size: 16, required: true });
  call(state, 'databasesCreateIntegerAttribute', { ...ids, key: 'score', required: true });
  call(state, 'databasesCreateIndex', { ...ids, key: 'by_category', type: 'key', attributes: ['category'] });
  call(state, 'databasesCreateIndex', { ...ids, key: 'by_score', type: 'key', attributes: ['score'] });
  // A fixed pseudo-random sequence: every run lists the same documents.
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  for (let i = 0; i < documents; i++) {
    call(state, 'databasesCreateDocument', { ...ids, documentId: `d${i}`, data: { category: `c${next() % CATEGORIES}`, score: next() % 10_000 } });
  }
  return state;
}

export async function stateAtScale(): Promise<ScaleResult> {
  const started = performance.now();
  const state = await scaleState();
  const setupMs = performance.now() - started;
  const list = () => call(state, 'databasesListDocuments', { ...ids, queries: SCALE_QUERIES });
  let answer = list();
  for (let i = 0; i < WARMUP; i++) answer = list();
  const samples: number[] = [];
  for (let i = 0; i < LISTS; i++) {
    const at = performance.now();
    answer = list();
    samples.push(performance.now() - at);
  }
  await state.close();
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)] as number,
    minMs: samples[0] as number,
    maxMs: samples[samples.length - 1] as number,
    setupMs,
    total: answer.total as number,
    page: (answer.documents as unknown[]).length,
  };
}
