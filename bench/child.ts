import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CLI = join(ROOT, 'bin', 'appwrite-vcr.js');

export interface Child {
  process: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first 2xx answer of `probe`. */
  startMs: number;
  /** RSS in MB at the first 2xx answer. */
  rssAfterStartMb: number;
  rssMb(): number;
  stop(): Promise<void>;
}

/** Spawns a server process, waits for its start line, then for a first 2xx on `probe`. */
export async function spawnServer(args: string[], urlPattern: RegExp, probe: (url: string) => Promise<boolean>): Promise<Child> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = urlPattern.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${err || out}`)));
  });
  child.stdout?.resume();
  while (!(await probe(url))) {
    if (performance.now() - started > 30_000) throw new Error(`${args.join(' ')} gave no 2xx in 30 s`);
  }
  const startMs = performance.now() - started;
  return {
    process: child,
    url,
    startMs,
    rssAfterStartMb: rssMbOf(child.pid as number),
    rssMb: () => rssMbOf(child.pid as number),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function isOk(url: string, init?: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}
