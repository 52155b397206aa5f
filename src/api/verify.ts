import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { cassettePath } from '../cassette/cassette-name.js';
import { readCassette } from '../cassette/cassette-journal.js';
import type { CassetteFile } from '../cassette/cassette-format.js';
import { DEFAULTS } from '../config/defaults.js';
import { inputProblem } from '../lint/input-problem.js';
import { listCassetteFiles } from '../lint/list-cassette-files.js';
import type { VcrRequest } from '../model/exchange.js';
import { headerText } from '../model/header-value.js';
import { compareAnswer } from '../verify/compare-answer.js';
import { IdPairs } from '../verify/id-pairs.js';
import { LiveCredentials } from '../verify/live-credentials.js';
import { OneTimeCodes } from '../verify/one-time-codes.js';
import { NotReplayable, send, wireRequest } from '../verify/send-recorded.js';
import { VerifyTally, type VerifyReport } from '../verify/verify-report.js';
import { VERSION } from '../version.js';
import { explainDifference } from '../verify/explained-differences.js';
import { startVerifyServer, type VerifyServer } from './verify-server.js';

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
  let server: VerifyServer | undefined;
  try {
    server = await startVerifyServer(empty, options.spec);
    for (const [done, file] of files.entries()) {
      let cassette: CassetteFile;
      try {
        cassette = await readCassette(join(dir, file));
      } catch (err) {
        tally.problem(inputProblem(file, err));
        continue;
      }
      await server.reset();
      tally.file(await verifyCassette(server, file, cassette, tally));
      options.onProgress?.({ file, filesDone: done + 1, files: files.length });
    }
    return tally.report({ createdBy: `appwrite-vcr/${VERSION}`, specVersion: server.spec.version, cassettes: dir });
  } finally {
    await server?.close();
    await rm(empty, { recursive: true, force: true });
  }
}

/** Sends one cassette's requests in order; returns how many server-made IDs were paired. */
async function verifyCassette(server: VerifyServer, file: string, cassette: CassetteFile, tally: VerifyTally): Promise<number> {
  const ids = new IdPairs();
  const credentials = new LiveCredentials();
  const codes = new OneTimeCodes();
  const unreplayed = new Set<string>();
  for (const [index, interaction] of cassette.interactions.entries()) {
    const recorded = interaction.response;
    const operationId = interaction.operationId ?? `${interaction.request.method} ${interaction.request.path}`;
    const request = codes.apply(operationId, interaction.request, recorded, (id) => ids.live(id) ?? id);
    const project = headerText(request.headers, 'x-appwrite-project') || String(request.query.project ?? '');
    let wire;
    try {
      wire = wireRequest(request, credentials.apply(request.headers, project), ids);
    } catch (err) {
      if (!(err instanceof NotReplayable)) throw err;
      for (const id of namedIds(request)) unreplayed.add(id);
      tally.notReplayable(operationId, { file, index, id: interaction.id, differences: [`not replayable: ${err.message}`] });
      continue;
    }
    // A request the recorded Appwrite refused changed nothing there: what the model wrote for it is undone,
    // so that the exchanges after it meet the state the recorded ones met.
    const restore = recorded.status >= 400 ? server.state.checkpoint() : undefined;
    const live = await send(server.port, wire);
    if (restore && live.status < 400) restore();
    else {
      credentials.learn(operationId, request.headers, live);
      codes.learn(operationId, request, live);
    }
    const example = { file, index, id: interaction.id, differences: compareAnswer(recorded, live, ids, { renderedImage: isRenderedImage(operationId) }) };
    const explanation =
      example.differences.length > 0
        ? explainDifference({ operationId, path: request.path, unreplayed, recorded, live, differences: example.differences })
        : undefined;
    if (explanation) tally.explained(operationId, example, explanation);
    else tally.outcome(operationId, example);
  }
  return ids.size;
}

/** The IDs a request names: its path's segments and the `...Id` fields of its body. */
function namedIds(request: VcrRequest): string[] {
  const ids = request.path.split('/').filter((segment) => segment !== '' && segment !== 'v1');
  const body = request.body;
  const fields =
    body?.kind === 'multipart'
      ? body.fields
      : body?.kind === 'json' && body.value !== null && typeof body.value === 'object'
        ? (body.value as Record<string, unknown>)
        : {};
  for (const [name, value] of Object.entries(fields)) if (name.endsWith('Id') && typeof value === 'string' && value !== 'unique()') ids.push(value);
  return ids;
}

/** Operations whose answer is an image the server draws, not bytes it stored. */
function isRenderedImage(operationId: string): boolean {
  return operationId.startsWith('avatars') || operationId === 'storageGetFilePreview';
}
