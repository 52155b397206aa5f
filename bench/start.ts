/**
 * `npm run bench -- --start`: only the start and memory rows, each measured START_RUNS times (default
 * 10), the configurations interleaved so that a noisy moment of a shared machine falls on all of them.
 * The CLI and talkback are timed as in every other row (spawn to the first 2xx from this process);
 * the in-process start from the call of startServer() to its first answer, inside the child.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type Child } from './child.js';

export interface InProcessStart {
  status: number;
  importMs: number;
  listenMs: number;
  firstAnswerMs: number;
  processToAnswerMs: number;
  rssMb: number;
}

/** One fresh process that imports the package and calls startServer(); its own times. */
export async function inProcessStart(cassettes: string, cassette: string): Promise<InProcessStart> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'in-process-start.mjs'), cassettes, cassette], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`in-process start exited with ${code}: ${err}`);
  const result = JSON.parse(out) as InProcessStart;
  if (result.status < 200 || result.status >= 300) throw new Error(`in-process start answered ${result.status}`);
  return result;
}

export interface StartSample {
  cliStartMs: number;
  cliRssMb: number;
  inProcess: InProcessStart;
  talkbackStartMs?: number;
  talkbackRssMb?: number;
}

/** The CLI, the in-process start and (when given) talkback, one after the other, `runs` times. */
export async function startSamples(
  runs: number,
  cli: () => Promise<Child>,
  inProcess: () => Promise<InProcessStart>,
  talkback?: () => Promise<Child>,
): Promise<StartSample[]> {
  const samples: StartSample[] = [];
  for (let run = 0; run < runs; run++) {
    const vcr = await cli();
    const cliStartMs = vcr.startMs;
    const cliRssMb = vcr.rssMb();
    await vcr.stop();
    const sample: StartSample = { cliStartMs, cliRssMb, inProcess: await inProcess() };
    if (talkback) {
      const peer = await talkback();
      sample.talkbackStartMs = peer.startMs;
      sample.talkbackRssMb = peer.rssMb();
      await peer.stop();
    }
    samples.push(sample);
    process.stderr.write(
      `  start ${run + 1}/${runs}: CLI ${cliStartMs.toFixed(0)} ms (${cliRssMb.toFixed(0)} MB), in-process ${sample.inProcess.firstAnswerMs.toFixed(0)} ms after an import of ${sample.inProcess.importMs.toFixed(0)} ms${sample.talkbackStartMs === undefined ? '' : `, talkback ${sample.talkbackStartMs.toFixed(0)} ms`}\n`,
    );
  }
  return samples;
}
