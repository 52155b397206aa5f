/**
 * `npm run bench -- --peers`: talkback replay and Stoplight Prism's mock on the same four requests.
 * The peers are installed on demand into `.bench/peers` (ignored) so that neither becomes a dependency
 * of the package or slows `npm ci` for everyone who never compares.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Interaction } from '../dist/index.js';
import { DEFAULT_SPEC } from '../src/config/defaults.js';
import { ROOT, isOk, spawnServer, type Child } from './child.js';
import type { BenchRequest } from './load.js';

const PEERS = join(ROOT, '.bench', 'peers');
const MODULES = join(PEERS, 'node_modules');

/**
 * @note Pinned: Prism 5.15 and later declare Node >= 24.14, the package supports Node 20.19;
 * 5.14.2 is the newest release that runs on it.
 */
const VERSIONS = { '@stoplight/prism-cli': '5.14.2', talkback: '4.2.0' } as const;

export interface PeerContext {
  requests: BenchRequest[];
  /** The answers the bench already holds, one per request, in the same order. */
  interactions: Interaction[];
  /** Loads a peer like every other row and adds it to the table. */
  measure(name: string, child: Child, requests: BenchRequest[]): Promise<unknown>;
  note(key: string, value: number | string): void;
}

export async function runPeers(context: PeerContext): Promise<void> {
  await attempt('talkback', context, () => talkbackRow(context));
  await attempt('prism', context, () => prismRow(context));
}

/** A peer that cannot be installed or started is reported, and the run goes on. */
async function attempt(peer: string, context: PeerContext, row: () => Promise<void>): Promise<void> {
  try {
    await row();
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? String(err);
    process.stderr.write(`  ${peer}: NOT MEASURED: ${reason}\n`);
    context.note(`${peer}`, `NOT MEASURED: ${reason}`);
  }
}

async function talkbackRow(context: PeerContext): Promise<void> {
  const talkback = await talkbackStarter(context.requests, context.interactions);
  try {
    await measured('talkback', await talkback.start(), context.requests, context, 'talkback replay (peer)');
  } finally {
    await talkback.cleanup();
  }
}

/** Talkback installed, its tapes written: each `start()` is a fresh talkback server, timed like ours. */
export async function talkbackStarter(requests: BenchRequest[], interactions: Interaction[]): Promise<{ start(): Promise<Child>; cleanup(): Promise<void> }> {
  await ensureInstalled('talkback');
  const tapes = await mkdtemp(join(tmpdir(), 'vcr-bench-tapes-'));
  await writeTapes(tapes, requests, interactions);
  const headers = Object.keys(requests[0]?.headers ?? {});
  const script = join(ROOT, 'bench', 'talkback-server.mjs');
  return {
    start: () =>
      spawnServer([script, join(MODULES, 'talkback'), tapes, ...headers], /at (http:\/\/127\.0\.0\.1:\d+)/, (url) => allOk(url, requests.slice(0, 1))),
    cleanup: () => rm(tapes, { recursive: true, force: true }),
  };
}

async function prismRow(context: PeerContext): Promise<void> {
  await ensureInstalled('@stoplight/prism-cli');
  const requests = context.requests.map(forPrism);
  const entry = join(MODULES, '@stoplight', 'prism-cli', 'dist', 'index.js');
  const child = await spawnServer([entry, 'mock', DEFAULT_SPEC, '-p', '0', '-h', '127.0.0.1'], /listening on (http:\/\/127\.0\.0\.1:\d+)/, (url) =>
    allOk(url, requests.slice(0, 1)),
  );
  await measured('prism', child, requests, context, 'Prism mock (peer)');
}

/** Start time and RSS as for appwrite-vcr; the row only once every request is seen to answer 2xx. */
async function measured(peer: string, child: Child, requests: BenchRequest[], context: PeerContext, name: string): Promise<void> {
  try {
    context.note(`${peer}StartToFirstAnswerMs`, Math.round(child.startMs));
    context.note(`${peer}RssAfterStartMb`, Math.round(child.rssMb()));
    for (const request of requests) {
      if (!(await allOk(child.url, [request]))) throw new Error(`${request.method} ${request.path} does not answer 2xx`);
    }
    await context.measure(name, child, requests);
    context.note(`${peer}RssAfterLoadMb`, Math.round(child.rssMb()));
  } finally {
    await child.stop();
  }
}

/**
 * @note Prism mocks paths without the server's `/v1` prefix, and reads Appwrite's one security
 * requirement as "all schemes at once" (a real Appwrite accepts any one credential), so the
 * document list needs a session and a JWT header as well or Prism answers 401.
 */
function forPrism(request: BenchRequest): BenchRequest {
  return {
    ...request,
    path: request.path.replace(/^\/v1/, ''),
    headers: { ...request.headers, 'x-appwrite-session': 'bench-session', 'x-appwrite-jwt': 'bench-jwt' },
  };
}

async function allOk(url: string, requests: BenchRequest[]): Promise<boolean> {
  for (const r of requests) {
    if (!(await isOk(`${url}${r.path}`, { method: r.method, headers: r.headers, body: r.body }))) return false;
  }
  return true;
}

/** Talkback's tape format (JSON5, of which JSON is a part): bodies kept readable, matched on the bench's headers. */
async function writeTapes(dir: string, requests: BenchRequest[], interactions: Interaction[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [i, request] of requests.entries()) {
    const response = interactions[i]?.response;
    if (response?.body?.kind !== 'json') throw new Error(`no JSON answer for ${request.method} ${request.path}`);
    const tape = {
      meta: { createdAt: '2026-11-27T00:00:00.000Z', host: 'http://127.0.0.1', reqHumanReadable: true, resHumanReadable: true },
      req: { url: request.path, method: request.method, headers: request.headers, body: request.body ? (JSON.parse(request.body) as unknown) : '' },
      res: { status: response.status, headers: { 'content-type': ['application/json'] }, body: response.body.value },
    };
    await writeFile(join(dir, `tape-${i}.json5`), JSON.stringify(tape, null, 2));
  }
}

async function ensureInstalled(name: keyof typeof VERSIONS): Promise<void> {
  const wanted = VERSIONS[name];
  if ((await installedVersion(name)) === wanted) return;
  process.stderr.write(`  installing ${name}@${wanted} into .bench/peers\n`);
  await mkdir(PEERS, { recursive: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    const npm = spawn('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund', '--save-exact', `${name}@${wanted}`], {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
    });
    npm.once('error', reject);
    npm.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm install ${name}@${wanted} exited with ${code}`);
  if ((await installedVersion(name)) !== wanted) throw new Error(`${name}@${wanted} is not in ${MODULES} after npm install`);
}

async function installedVersion(name: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(MODULES, name, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
