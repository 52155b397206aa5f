import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StartServerOptions, Summary } from '../../src/index.js';
import { REPO_ROOT } from './spec-files.js';

const SCRIPT = join(REPO_ROOT, 'test', 'support', 'server-process.mjs');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  endpoint: string;
  /** Heap in use after two forced collections, and the keys found on `Object.prototype`. */
  heap(): Promise<{ heapUsed: number; polluted: string[] }>;
  /** Closes the server and ends the process; later calls give the same summary. */
  stop(): Promise<Summary>;
}

type Message =
  { type: 'ready'; url: string; endpoint: string } | { type: 'heap'; heapUsed: number; polluted: string[] } | { type: 'stopped'; summary: Summary };

/** Starts the built server (`npm test` builds first) in a child process with `--expose-gc`. */
export async function startServerProcess(options: Omit<StartServerOptions, 'onExchange' | 'onError'>): Promise<ServerProcess> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run "npm run build" first (npm test does).');
  const child = fork(SCRIPT, [JSON.stringify({ port: 0, host: '127.0.0.1', ...options })], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const next = <T extends Message['type']>(type: T): Promise<Extract<Message, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: Message): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<Message, { type: T }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`server process exited (${code}) before "${type}": ${stderr}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  let stopped: Promise<Summary> | null = null;
  return {
    child,
    url: ready.url,
    endpoint: ready.endpoint,
    heap: async () => {
      const reply = next('heap');
      child.send({ type: 'heap' });
      const { heapUsed, polluted } = await reply;
      return { heapUsed, polluted };
    },
    stop: () => {
      stopped ??= (async () => {
        const reply = next('stopped');
        child.send({ type: 'stop' });
        return (await reply).summary;
      })();
      return stopped;
    },
  };
}
