import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, ROOT } from './child.js';

export interface LintRun {
  interactions: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
}

/** Runs `appwrite-vcr lint` as its own process over `dir`, sampling its peak RSS (VmHWM) until it exits. */
export function lintRun(dir: string, interactions: number): Promise<LintRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'lint', '--cassettes', dir, '--format', 'json', '--output', '/dev/null', '--fail-on', 'never'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    let peakKb = 0;
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // The process has just exited.
      }
    }, 10);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sample);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`lint exited with ${code}`));
      resolve({ interactions, seconds, perSecond: interactions / seconds, peakRssMb: peakKb / 1024 });
    });
  });
}
