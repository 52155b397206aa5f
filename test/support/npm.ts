import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { watch, type Watched } from './cli.js';

/**
 * npm's own scripts, run by the Node that runs the tests: under `.ci/run`'s other Node lines, `npm`
 * on the PATH would start the machine's Node instead.
 */
function npmScripts(): { npm: string; npx: string } {
  const candidates = [process.env.npm_execpath, ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'npm'))];
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    const bin = dirname(realpathSync(candidate));
    const npm = join(bin, 'npm-cli.js');
    const npx = join(bin, 'npx-cli.js');
    if (existsSync(npm) && existsSync(npx)) return { npm, npx };
  }
  throw new Error('npm not found: these tests run npm (npm_execpath, or npm on the PATH, with its npm-cli.js and npx-cli.js)');
}

/** The environment of every npm run: this Node first on the PATH (for `#!/usr/bin/env node` bins), no colours. */
function npmEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', npm_config_color: 'false', ...env };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm ARGS` in `cwd` to the end. */
export async function runNpm(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Finished> {
  const run = startNpm('npm', args, cwd, env);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export interface NpxRun extends Watched {
  /** Sends `signal` to the whole process group (npx does not pass signals on to the command) and waits until all of it has ended. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `npx ARGS` in `cwd`, in a process group of its own. */
export function startNpx(args: string[], cwd: string, env: Record<string, string> = {}): NpxRun {
  const run = startNpm('npx', args, cwd, env);
  return {
    ...run,
    stop: async (signal = 'SIGTERM') => {
      try {
        process.kill(-run.pid, signal);
      } catch {
        // Already gone.
      }
      // Settles once every process holding the output pipes has ended.
      await run.exited;
    },
  };
}

function startNpm(which: 'npm' | 'npx', args: string[], cwd: string, env: Record<string, string>): Watched & { pid: number } {
  const child = spawn(process.execPath, [npmScripts()[which], ...args], { cwd, env: npmEnv(env), detached: true });
  if (child.pid === undefined) throw new Error(`Failed to start ${which} ${args.join(' ')}`);
  return { pid: child.pid, ...watch(child) };
}
