import { loadSpec } from '../../src/index.js';
import { hostileRequests, type HostileRequest, type Route } from './hostile-requests.js';
import { rawExchange, type RawAnswer } from './raw-exchange.js';
import { PINNED_SPEC } from './spec-files.js';

const ERROR_KEYS = ['code', 'message', 'type', 'version'];

/** What is wrong with the answer to a hostile request, or null when it is a well-formed answer. */
export function answerProblem(request: HostileRequest, answer: RawAnswer, version: string): string | null {
  if (answer.failure) return answer.failure;
  if (answer.status < 200 || answer.status > 599) return `status ${answer.status}`;
  for (const name of answer.headers.keys()) if (name.startsWith('x-injected')) return 'a header injected by the request came back in the answer';
  if (request.expect.kind === 'status' && answer.status !== request.expect.status) return `status ${answer.status}, expected ${request.expect.status}`;
  if (request.mode === 'stream' && answer.sent >= (request.streamTotal ?? 0)) return 'the server read the whole oversized body before answering';
  const json = (answer.headers.get('content-type') ?? '').includes('json');
  if (answer.status >= 400) {
    if (!json) return `error answer ${answer.status} is not JSON (${answer.headers.get('content-type') ?? 'no content type'})`;
    if (request.method === 'HEAD') return null;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return `error answer ${answer.status} has a body that is not JSON`;
    }
    if (Object.keys(body).sort().join() !== ERROR_KEYS.join()) return `error answer has keys ${Object.keys(body).join(', ')}`;
    if (body.code !== answer.status || body.version !== version || typeof body.type !== 'string' || typeof body.message !== 'string')
      return `error answer is not Appwrite's shape: ${answer.body.toString('utf8').slice(0, 200)}`;
    return null;
  }
  if (json && answer.body.length > 0) {
    try {
      JSON.parse(answer.body.toString('utf8'));
    } catch {
      return `answer ${answer.status} says JSON but its body does not parse`;
    }
  }
  return null;
}

export interface FuzzOptions {
  port: number;
  seed: number;
  count: number;
  maxBodyBytes: number;
  /** Sockets open at once. */
  concurrency: number;
  /** Watchdog per request: a server that takes longer hangs. */
  deadlineMs: number;
  /** Called with each answer, e.g. for progress. */
  onAnswer?: (index: number) => void;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<number, number>;
  byLabel: Record<string, number>;
  /** At most 50 problems, described. */
  problems: string[];
  problemCount: number;
}

/** The routes of the pinned spec, as hostile requests aim at them. */
export async function specRoutes(): Promise<Route[]> {
  const spec = await loadSpec(PINNED_SPEC);
  return spec.operations.map((operation) => ({ method: operation.method, path: operation.pathTemplate }));
}

/** Sends `count` hostile requests made from `seed` and checks every answer. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const routes = await specRoutes();
  const requests = hostileRequests(options.seed, options.count, { routes, maxBodyBytes: options.maxBodyBytes });
  const report: FuzzReport = { requests: 0, byStatus: {}, byLabel: {}, problems: [], problemCount: 0 };
  let index = 0;
  const worker = async (): Promise<void> => {
    for (let next = requests.next(); !next.done; next = requests.next()) {
      const request = next.value;
      const i = index++;
      const answer = await rawExchange(options.port, request, options.deadlineMs);
      report.requests++;
      report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1;
      report.byLabel[request.label] = (report.byLabel[request.label] ?? 0) + 1;
      const problem = answerProblem(request, answer, '1.5.0');
      if (problem) {
        report.problemCount++;
        if (report.problems.length < 50)
          report.problems.push(`#${i} ${request.label}: ${problem} (request: ${JSON.stringify(request.head.subarray(0, 160).toString('latin1'))})`);
      }
      options.onAnswer?.(i);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return report;
}
