import type { Caller } from '../auth/caller.js';
import type { Cassette } from '../cassette/cassette-store.js';
import { isVcrError } from '../errors/vcr-error.js';
import { wireBody } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { Headers, VcrRequest, VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { Interaction } from '../model/interaction.js';
import type { Operation } from '../spec/operation.js';
import type { RequestCheck } from '../validate/validate-request.js';
import type { Miss } from './miss.js';

/**
 * What happens to a request, in one place. Replay and record run the same steps; they differ only in
 * the answerers they list (replay: cassette, miss, refusal, state, schema; record: the upstream):
 *
 *   route → cassette → caller → validate request → first answerer that answers → validate answer → after
 *
 * Every step after routing sees one read-only `Turn`. Nothing is thrown for bad input: an unknown route,
 * an unreadable body or a refused request is an answer in Appwrite's shape, violations travel as data.
 */

/** Where an answer came from: a recording, the upstream, the state, the schema, or the tool's own error. */
export type Source = 'cassette' | 'state' | 'schema' | 'upstream' | 'error';

/** A request as it arrived on the socket, before any parsing. */
export interface RawRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: Headers;
  body: Buffer;
}

/** A parsed request, routed, with its typed parameters. */
export interface RoutedRequest {
  request: VcrRequest;
  operation: Operation;
  pathParams: Record<string, string>;
  bodyError?: string;
  key: string;
  /** Bytes of multipart file parts by field, whatever their size. */
  files?: Map<string, Buffer>;
}

export interface EngineResult {
  response: VcrResponse;
  /** The body to send. */
  bytes: Buffer | string;
  source: Source;
  operationId: string | null;
  cassette: string | null;
  findings: Finding[];
  /** Set when the answer is a 502 made by `strict` from a contract violation. */
  strictRejected?: boolean;
  /** Set when no recording of the cassette matched the request: the nearest ones and what differs. */
  miss?: Miss;
}

/** What every step after routing knows of the request. */
export interface Turn {
  readonly raw: RawRequest;
  readonly routed: RoutedRequest;
  readonly cassette: Cassette;
  /** Who is calling, worked out once (src/auth/caller.ts). */
  readonly caller: Caller;
  /** The request's check against the contract and Appwrite's rules: typed parameters, findings, a refusal. */
  readonly check: RequestCheck;
  /** Why no recording of the cassette matched, worked out on first use. */
  miss(): Miss;
}

/**
 * An answerer's answer. `findings` are the answer's own (already checked, as a recording's are once);
 * without them the pipeline checks the response against the contract, unless it is the tool's error.
 */
export interface Answer {
  response: VcrResponse;
  source: Source;
  /** The body as it goes on the wire, when the answerer has it (recorded or forwarded bytes). */
  bytes?: Buffer | string;
  /** What the store step keeps (record: the redacted exchange, violations added once known). */
  recording?: Interaction;
  findings?: Finding[];
  miss?: Miss;
}

/** One way to answer; null passes the turn on to the next answerer. */
export type Answerer = (turn: Turn) => Answer | Promise<Answer> | null;

/** Runs once the answer is complete (checked, `strict` applied): stores it, tells listeners. */
export type AfterStep = (turn: Turn, result: EngineResult, answer: Answer) => void;

/** The steps of one pipeline; `runPipeline` puts them in order. */
export interface Stages {
  version: string;
  /** A raw request routed, synchronously; null when that needs waiting (a multipart body). */
  routeSync(raw: RawRequest): RoutedRequest | { error: VcrResponse } | null;
  route(raw: RawRequest): Promise<RoutedRequest | { error: VcrResponse }>;
  /** A request no route of the spec takes, or whose form cannot be read. */
  unrouted(raw: RawRequest, error: VcrResponse): Answer | Promise<Answer>;
  /** Answers before any cassette is opened, as if outside the spec (record: a HEAD is only forwarded); null goes on. */
  early?(raw: RawRequest, routed: RoutedRequest): Promise<Answer> | null;
  cassetteName(raw: RawRequest): string;
  /** The cassette when it is ready without waiting, else null. */
  peek(name: string): Cassette | null;
  open(name: string): Promise<Cassette>;
  caller(request: VcrRequest): Caller;
  check(routed: RoutedRequest, caller: Caller): RequestCheck;
  missOf(cassette: Cassette, routed: RoutedRequest): Miss;
  answerers: readonly Answerer[];
  /** Checks a response against the operation's contract. */
  validate(operation: Operation, response: VcrResponse): Finding[];
  /** `strict`: an answer that breaks the contract becomes a 502. */
  strict: boolean;
  after: readonly AfterStep[];
}

/**
 * Answers a request through the stages. Synchronous when nothing needs waiting for (routed without
 * a multipart body, the cassette loaded, the answerer synchronous): most requests then go from
 * socket to answer without a turn of the event loop.
 */
export function runPipeline(stages: Stages, raw: RawRequest): EngineResult | Promise<EngineResult> {
  const routed = stages.routeSync(raw);
  if (routed !== null) {
    if ('error' in routed) return unroutedResult(stages, raw, routed.error);
    const early = stages.early?.(raw, routed) ?? null;
    if (early) return early.then(outsideTheSpec);
    const cassette = stages.peek(stages.cassetteName(raw));
    if (cassette) return answer(stages, raw, routed, cassette);
  }
  return runAsync(stages, raw, routed);
}

async function runAsync(stages: Stages, raw: RawRequest, known: RoutedRequest | null): Promise<EngineResult> {
  const routed = known ?? (await stages.route(raw));
  if ('error' in routed) return unroutedResult(stages, raw, routed.error);
  if (!known) {
    const early = stages.early?.(raw, routed) ?? null;
    if (early) return outsideTheSpec(await early);
  }
  const name = stages.cassetteName(raw);
  let cassette: Cassette;
  try {
    cassette = await stages.open(name);
  } catch (err) {
    if (!isVcrError(err)) throw err;
    const invalid = err.code === 'CASSETTE_NAME_INVALID';
    const response = invalid
      ? errorResponse('general_argument_invalid', stages.version, err.message)
      : errorResponse('general_server_error', stages.version, err.message, 500);
    return errorResult(response, routed.operation.operationId, invalid ? null : name);
  }
  return answer(stages, raw, routed, cassette);
}

function answer(stages: Stages, raw: RawRequest, routed: RoutedRequest, cassette: Cassette): EngineResult | Promise<EngineResult> {
  const caller = stages.caller(routed.request);
  let miss: Miss | undefined;
  // Read-only by its type, not frozen: a freeze per request costs more than it guards here.
  const turn: Turn = {
    raw,
    routed,
    cassette,
    caller,
    check: stages.check(routed, caller),
    miss: () => (miss ??= stages.missOf(cassette, routed)),
  };
  for (const answerer of stages.answerers) {
    const answered = answerer(turn);
    if (answered === null) continue;
    return answered instanceof Promise ? answered.then((a) => complete(stages, turn, a)) : complete(stages, turn, answered);
  }
  throw new Error(`No answerer answered ${routed.operation.operationId}`);
}

/** Checks the answer, applies `strict`, and runs the after steps. */
function complete(stages: Stages, turn: Turn, answer: Answer): EngineResult {
  const { operation } = turn.routed;
  const { response, source } = answer;
  const requestFindings = turn.check.findings;
  const own = answer.findings ?? (source === 'error' ? [] : stages.validate(operation, response));
  const findings = own.length === 0 ? requestFindings : requestFindings.length === 0 ? own : [...requestFindings, ...own];
  let result: EngineResult = {
    response,
    bytes: answer.bytes ?? wireBody(response.body),
    source,
    operationId: operation.operationId,
    cassette: turn.cassette.name,
    findings,
  };
  if (answer.miss) result.miss = answer.miss;
  if (stages.strict && source !== 'error') result = strict(stages.version, result);
  for (const step of stages.after) step(turn, result, answer);
  return result;
}

function unroutedResult(stages: Stages, raw: RawRequest, error: VcrResponse): EngineResult | Promise<EngineResult> {
  const answer = stages.unrouted(raw, error);
  return answer instanceof Promise ? answer.then(outsideTheSpec) : outsideTheSpec(answer);
}

/** An answer to a request no operation of the spec stands for: nothing to check it against. */
function outsideTheSpec(answer: Answer): EngineResult {
  return {
    response: answer.response,
    bytes: answer.bytes ?? wireBody(answer.response.body),
    source: answer.source,
    operationId: null,
    cassette: null,
    findings: answer.findings ?? [],
  };
}

export function errorResult(response: VcrResponse, operationId: string | null, cassette: string | null, findings: Finding[] = []): EngineResult {
  return { response, bytes: wireBody(response.body), source: 'error', operationId, cassette, findings };
}

function strict(version: string, result: EngineResult): EngineResult {
  const violation = result.findings.find((f) => f.side === 'response' && f.severity === 'error');
  if (!violation) return result;
  const message = `Response violates the contract of ${result.operationId ?? 'this route'}: ${violation.path || '(body)'} ${violation.message}`;
  const response = errorResponse('general_server_error', version, message, 502);
  return { ...result, response, bytes: wireBody(response.body), strictRejected: true };
}
