import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { cassettePath } from '../cassette/cassette-name.js';
import { readCassette } from '../cassette/cassette-journal.js';
import type { CassetteFile } from '../cassette/cassette-format.js';
import { DEFAULTS } from '../config/defaults.js';
import { inputProblem } from '../lint/input-problem.js';
import { listCassetteFiles } from '../lint/list-cassette-files.js';
import { headerText } from '../model/header-value.js';
import { compareAnswer } from '../verify/compare-answer.js';
import { IdPairs } from '../verify/id-pairs.js';
import { LiveCredentials } from '../verify/live-credentials.js';
import { NotReplayable, send, wireRequest } from '../verify/send-recorded.js';
import { VerifyTally, type VerifyReport } from '../verify/verify-report.js';
import { VERSION } from '../version.js';
import { startServer, type VcrServer } from './start-server.js';

export interface VerifyOptions {
  /** Folder of cassette files (default `cassettes`). */
  cassettes?: string;
  /** Only this cassette (a name as `X-Vcr-Cassette` takes it); default every file under the folder. */
  cassette?: string;
  /** The spec to serve (default the pinned Appwrite 1.5.0 spec). */
  spec?: string;
  /** Called after each cassette file; the library itself never prints. */
  onProgress?: (progress: { file: string; filesDone: number; files: number }) => void;
}

/**
 * Sends the requests of recorded cassettes, in recorded order, to a fresh stateful model (no cassette
 * answers) and compares each answer with the recording: how far the stateful fallback stands in for
 * the recorded traffic. Each cassette starts from an empty state. The server listens on 127.0.0.1 on
 * an ephemeral port for the run only.
 */
export async function verifyCassettes(options: VerifyOptions = {}): Promise<VerifyReport> {
  const dir = options.cassettes ?? DEFAULTS.cassettes;
  const files = options.cassette === undefined ? await listCassetteFiles(dir) : [relative(dir, cassettePath(dir, options.cassette)).split(sep).join('/')];
  const empty = await mkdtemp(join(tmpdir(), 'appwrite-vcr-verify-'));
  const tally = new VerifyTally();
  let server: VcrServer | undefined;
  try {
    server = await startServer({ cassettes: empty, host: '127.0.0.1', port: 0, fallback: 'stateful', spec: options.spec });
    for (const [done, file] of files.entries()) {
      let cassette: CassetteFile;
      try {
        cassette = await readCassette(join(dir, file));
      } catch (err) {
        tally.problem(inputProblem(file, err));
        continue;
      }
      await server.reset();
      tally.file(await verifyCassette(server.port, file, cassette, tally));
      options.onProgress?.({ file, filesDone: done + 1, files: files.length });
    }
    return tally.report({ createdBy: `appwrite-vcr/${VERSION}`, specVersion: server.spec.version, cassettes: dir });
  } finally {
    await server?.close();
    await rm(empty, { recursive: true, force: true });
  }
}

/** Sends one cassette's requests in order; returns how many server-made IDs were paired. */
async function verifyCassette(port: number, file: string, cassette: CassetteFile, tally: VerifyTally): Promise<number> {
  const ids = new IdPairs();
  const credentials = new LiveCredentials();
  for (const [index, interaction] of cassette.interactions.entries()) {
    const { request } = interaction;
    const operationId = interaction.operationId ?? `${request.method} ${request.path}`;
    const project = headerText(request.headers, 'x-appwrite-project') || String(request.query.project ?? '');
    let wire;
    try {
      wire = wireRequest(request, credentials.apply(request.headers, project), ids);
    } catch (err) {
      if (!(err instanceof NotReplayable)) throw err;
      tally.notReplayable(operationId, { file, index, id: interaction.id, differences: [`not replayable: ${err.message}`] });
      continue;
    }
    const live = await send(port, wire);
    credentials.learn(operationId, request.headers, live);
    tally.outcome(operationId, {
      file,
      index,
      id: interaction.id,
      differences: compareAnswer(interaction.response, live, ids, { renderedImage: isRenderedImage(operationId) }),
    });
  }
  return ids.size;
}

/** Operations whose answer is an image the server draws, not bytes it stored. */
function isRenderedImage(operationId: string): boolean {
  return operationId.startsWith('avatars') || operationId === 'storageGetFilePreview';
}
