import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './spec-files.js';

export const CLI = join(REPO_ROOT, 'bin', 'appwrite-vcr.js');

export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout, as soon as it appears. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/**
 * Runs the built CLI (`npm test` builds first) with colours off. `fileSizeLimit`: the largest file, in
 * 512-byte blocks, the process may write (`ulimit -f`): a write that crosses it is cut short, as on a full disk.
 */
export function runCli(args: string[], env: Record<string, string> = {}, options: { fileSizeLimit?: number } = {}): CliRun {
  const command = [process.execPath, CLI, ...args];
  const spawnEnv = { ...process.env, NO_COLOR: '1', ...env };
  const child =
    options.fileSizeLimit === undefined
      ? spawn(command[0] as string, command.slice(1), { cwd: REPO_ROOT, env: spawnEnv })
      : spawn('/bin/sh', ['-c', `ulimit -f ${options.fileSizeLimit} && exec "$@"`, 'sh', ...command], { cwd: REPO_ROOT, env: spawnEnv });
  return { child, ...watch(child) };
}

export type Watched = Omit<CliRun, 'child'>;

/** Collects a child's output, resolves `waitFor` as soon as stdout matches, and rejects waiters when it exits first. */
export function watch(child: ChildProcessWithoutNullStreams): Watched {
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const match = out.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error(`process exited (${code}) before printing ${waiter.pattern}; stdout: ${out}; stderr: ${err}`));
      resolve(code);
    }),
  );
  return {
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        check();
      }),
    exited,
  };
}
