import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Child {
  process: ChildProcess;
  /** The API URL the child printed, e.g. `http://127.0.0.1:40123/v1`. */
  endpoint: string;
  /** Ends the child with `signal` and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a TypeScript file of the repository in its own Node process (through tsx) and waits for the
 * first `http(s)://127.0.0.1:PORT/v1` it prints. Fails with its output if it exits first.
 */
export function startChild(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /(https?:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
      if (!found) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({
        process: child,
        endpoint: found[1] as string,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`${script} exited (${code ?? signal}) before listening:\n${output}`)));
  });
}
