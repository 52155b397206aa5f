import { identifyCaller, type Caller } from '../auth/caller.js';
import { readCredentials } from '../auth/credentials.js';
import { Cassette, CassetteStore } from '../cassette/cassette-store.js';
import { encodeBody, wireBody } from '../model/body.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { Interaction } from '../model/interaction.js';
import { requestKey } from '../match/request-key.js';
import type { Spec } from '../spec/load-spec.js';
import type { Operation } from '../spec/operation.js';
import type { SchemaValidator } from '../spec/schema-validator.js';
import { validateRequest } from '../validate/validate-request.js';
import { validateResponse } from '../validate/validate-response.js';
import type { AppwriteState } from '../state/appwrite-state.js';
import { emptySummary, tally, tallyMiss, type MissEntry, type Summary, type UnusedRecording } from './summary.js';
import { missRequestLine, type Miss } from './miss.js';
import { nearestRecordings } from '../match/nearest-recordings.js';
import { fillPlaceholders, hasShapedPlaceholder } from '../match/placeholder-shape.js';
import type { MatchableRequest } from '../match/request-key.js';
import type { FallbackMode } from '../config/server-config.js';
import { Redactor } from '../cassette/redact.js';
import { parseRedactRule, redactRuleText, type RedactRule } from '../config/redact-rule.js';
import type { IdMap } from '../match/id-map.js';
import { Replayer } from './replayer.js';
import { headerValue } from '../model/header-value.js';

export { headerValue };
import { runPipeline, type Answer, type EngineResult, type RawRequest, type RoutedRequest, type Stages, type Turn } from './pipeline.js';
import { RequestRouter } from './route-request.js';
import { replayAnswerers } from './replay-answerers.js';

export type { Answer, EngineResult, RawRequest, RoutedRequest, Source } from './pipeline.js';

export interface EngineOptions {
  spec: Spec;
  validator: SchemaValidator;
  store: CassetteStore;
  /** The cassette used when a request names none with `X-Vcr-Cassette`. */
  cassette: string;
  /** Answer 502 instead of a response that violates the contract. */
  strict: boolean;
  /** Bytes of a multipart file part kept in the stored body. */
  storeFileLimit: number;
  /** Answers what no cassette holds like Appwrite would, before the schema fallback; none = schema only. */
  state?: AppwriteState | null;
  /** Redaction added to the built-in one; a request is matched as it was stored, redacted. */
  redact?: readonly RedactRule[];
  /** Pair client-generated IDs with recorded ones (default true). */
  idMap?: boolean;
  /** `none`: a request no recording matches gets the miss error instead of a fallback answer. */
  fallback?: FallbackMode;
  /** What matching leaves out, besides each cassette's `meta.matchIgnore` (JSON paths, `query:NAME`). */
  matchIgnore?: readonly string[];
  /** `summary().failed` when a request missed. */
  failOnMiss?: boolean;
  /** List the recordings never replayed in the summary (replay; a recorder in mode `all` replays nothing). */
  reportUnused?: boolean;
}

export const CASSETTE_HEADER = 'x-vcr-cassette';
/** The header that carries the admin token: for this tool only, never forwarded or stored. */
export const ADMIN_TOKEN_HEADER = 'x-vcr-admin-token';
/** Response headers that describe the connection or the encoding, never replayed as recorded. */
export const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'date',
  'proxy-connection',
  'upgrade',
  'trailer',
]);

/** A write (any method but GET and HEAD) answered with success from a cassette: what realtime builds its event from. */
export interface CassetteWrite {
  operationId: string;
  /** The request's path parameters (`databaseId`, `documentId`, ...). */
  pathParams: Readonly<Record<string, string>>;
  caller: Caller;
  /** The answer as the client got it (client IDs mapped back to the live ones). */
  response: VcrResponse;
}

export type CassetteWriteListener = (write: CassetteWrite) => void;

/**
 * The request pipeline without sockets: route, validate, answer from the cassette or generate
 * from the schema, validate the answer. Violations are returned as data; nothing is thrown for bad input.
 */
export class Engine {
  readonly spec: Spec;
  readonly summary: Summary = emptySummary();
  readonly redactor: Redactor;
  readonly #options: EngineOptions;
  readonly #replayer: Replayer;
  readonly #encoded = new WeakMap<Interaction, { bytes: Buffer; headers: Headers; findings: Finding[]; shaped: boolean }>();
  /** Per cassette: a redactor with the rules it was recorded with that this engine lacks; null when none. */
  readonly #cassetteRedactors = new WeakMap<Cassette, Redactor | null>();
  readonly #writeListeners: CassetteWriteListener[] = [];
  readonly router: RequestRouter;
  /** Replay's steps: cassette, miss, refusal, state, schema. */
  readonly #replay: Stages;
  /** Misses listed in the summary, by cassette and request identity. */
  readonly #missed = new Map<string, MissEntry>();
  /** Per cassette name: the IDs of the recordings replayed in this run. */
  readonly #used = new Map<string, Set<string>>();

  constructor(options: EngineOptions) {
    this.#options = options;
    this.spec = options.spec;
    this.redactor = new Redactor(options.redact);
    this.#replayer = new Replayer(options.idMap ?? true);
    this.router = new RequestRouter(options.spec, this.redactor, options.storeFileLimit);
    const state = options.state ?? null;
    this.#replay = this.stages({
      caller: (request) => identifyCaller(readCredentials(request.headers, request.query), state ? state.sessions : null),
      answerers: replayAnswerers({ spec: options.spec, recorded: (turn) => this.recorded(turn), state, missIsError: options.fallback === 'none' }),
      after: [(turn, result) => this.#tellCassetteWrite(turn, result)],
      unrouted: (_raw, error) => ({ response: error, source: 'error' }),
      peek: (name) => options.store.peek(name) ?? null,
      open: (name) => options.store.open(name),
      strict: options.strict,
    });
  }

  /** A pipeline of this engine's routing, matching and checks, with the steps that are the caller's own. */
  stages(own: Pick<Stages, 'caller' | 'answerers' | 'after' | 'unrouted' | 'early' | 'peek' | 'open' | 'strict'>): Stages {
    const validator = this.#options.validator;
    return {
      version: this.spec.version,
      routeSync: (raw) => this.router.routeSync(raw),
      route: (raw) => this.router.route(raw),
      cassetteName: (raw) => this.cassetteName(raw),
      check: ({ request, operation, pathParams, bodyError }, caller) =>
        validateRequest(operation, { headers: request.headers, query: request.query, body: request.body, bodyError, pathParams, caller }, validator),
      missOf: (cassette, routed) => this.missOf(cassette, routed),
      validate: (operation, response) => validateResponse(operation, response, validator),
      ...own,
    };
  }

  get store(): CassetteStore {
    return this.#options.store;
  }

  get validator(): SchemaValidator {
    return this.#options.validator;
  }

  /**
   * Starts the cassettes over: every loaded cassette back to its first recordings (re-read when its file
   * changed since), client-generated ID pairs forgotten.
   */
  async rewind(): Promise<void> {
    await this.#options.store.rewind();
    this.#replayer.forget();
  }

  /**
   * Hears of every write answered with success from a cassette, after the answer is made, so that a
   * recorded flow drives what reacts to writes (realtime) as the state's own changes do. Returns the
   * unsubscribe function.
   */
  onCassetteWrite(listener: CassetteWriteListener): () => void {
    this.#writeListeners.push(listener);
    return () => {
      const at = this.#writeListeners.indexOf(listener);
      if (at !== -1) this.#writeListeners.splice(at, 1);
    };
  }

  /** The `--redact` rules this engine adds to the built-in ones, as text. */
  get redactRules(): string[] {
    return (this.#options.redact ?? []).map(redactRuleText);
  }

  /**
   * Answers a request through replay's pipeline (src/engine/pipeline.ts). Synchronous when nothing
   * needs waiting for: most requests then go from socket to answer without a turn of the event loop.
   */
  handle(raw: RawRequest): EngineResult | Promise<EngineResult> {
    const result = runPipeline(this.#replay, raw);
    return result instanceof Promise ? result.then((r) => this.tally(r)) : this.tally(result);
  }

  /** Counts an answer (and its miss) in the summary. */
  tally(result: EngineResult): EngineResult {
    tally(this.summary, result.operationId, result.source, result.findings);
    if (result.miss) tallyMiss(this.summary, this.#missed, `${result.miss.cassette}\n${result.miss.request}`, result.miss);
    return result;
  }

  /**
   * What the run did, as of now: the tallies, the misses, and (for replay) the recordings of every
   * cassette opened that no request replayed.
   */
  report(): Summary {
    const report = structuredClone(this.summary);
    if (this.#options.reportUnused) {
      for (const cassette of this.#options.store.loaded()) {
        const used = this.#used.get(cassette.name);
        const unused: UnusedRecording[] = [];
        cassette.interactions.forEach((interaction, index) => {
          if (!used?.has(interaction.id))
            unused.push({
              id: interaction.id,
              index,
              operationId: interaction.operationId,
              request: `${interaction.request.method} ${interaction.request.path}`,
            });
        });
        if (unused.length > 0) report.unused[cassette.name] = unused;
      }
    }
    if (this.#options.failOnMiss && report.misses > 0) {
      report.failed = true;
      report.failure = `${report.misses} request${report.misses === 1 ? '' : 's'} matched no recording (failOnMiss)`;
    }
    return report;
  }

  /** The cassette a request names with `X-Vcr-Cassette`, or the default one. */
  cassetteName(raw: RawRequest): string {
    return headerValue(raw.headers[CASSETTE_HEADER]) ?? this.#options.cassette;
  }

  /** A write answered with success from a cassette drives what reacts to writes (realtime). */
  #tellCassetteWrite(turn: Turn, result: EngineResult): void {
    if (this.#writeListeners.length === 0 || result.source !== 'cassette' || result.strictRejected) return;
    const { request, operation, pathParams } = turn.routed;
    const { status } = result.response;
    // A HEAD is routed as its GET (route-request.ts), so GET stands for both.
    if (request.method === 'GET' || status < 200 || status >= 300) return;
    const write: CassetteWrite = { operationId: operation.operationId, pathParams, caller: turn.caller, response: result.response };
    for (const listener of [...this.#writeListeners]) listener(write);
  }

  /** Why a request matched no recording of the cassette: the nearest recordings of its operation and what differs. */
  missOf(cassette: Cassette, routed: RoutedRequest): Miss {
    const operationId = routed.operation.operationId;
    const sent = this.#matchable(cassette, routed);
    const candidates = cassette.recordingsOf(operationId);
    const nearest = nearestRecordings(
      sent,
      candidates,
      (i) => cassette.interactions.indexOf(i),
      (i) => cassette.matchIgnore.apply(i.request),
    );
    return { cassette: cassette.name, operationId, request: missRequestLine(sent.method, sent.path, sent.query), recordings: candidates.length, nearest };
  }

  /**
   * The request's identity for matching in this cassette: redacted with the rules the cassette was
   * recorded with too (`meta.redact`), so that replay needs no `--redact` of its own.
   */
  keyFor(cassette: Cassette, routed: RoutedRequest): string {
    const redactor = this.#redactorFor(cassette);
    return redactor || !cassette.matchIgnore.empty ? requestKey(this.#matchable(cassette, routed)) : routed.key;
  }

  /** The request as matching against this cassette sees it: redacted, and without what its rules ignore. */
  #matchable(cassette: Cassette, routed: RoutedRequest): MatchableRequest {
    const redactor = this.#redactorFor(cassette) ?? this.redactor;
    return cassette.matchIgnore.apply(redactor.matchable(routed.request, routed.operation.operationId));
  }

  /**
   * Prepares a cassette on its first use by this engine: the redactor with the rules it was recorded with
   * that this engine lacks (null when none), and this engine's ignore rules added to its own.
   */
  #redactorFor(cassette: Cassette): Redactor | null {
    let redactor = this.#cassetteRedactors.get(cassette);
    if (redactor === undefined) {
      const own = new Set(this.redactRules);
      const extra = cassette.redactRules.filter((rule) => !own.has(rule)).map(parseRedactRule);
      redactor = extra.length > 0 ? new Redactor([...(this.#options.redact ?? []), ...extra]) : null;
      this.#cassetteRedactors.set(cassette, redactor);
      const ignore = this.#options.matchIgnore ?? [];
      if (ignore.length > 0) cassette.addMatchIgnoreRules(ignore, false);
    }
    return redactor;
  }

  /** The `--match-ignore` rules of this engine. */
  get matchIgnoreRules(): readonly string[] {
    return this.#options.matchIgnore ?? [];
  }

  /** The answerer of recordings: the next recording for the request's identity in its cassette, or null. */
  recorded(turn: Turn): Answer | null {
    return this.replay(turn.cassette, this.keyFor(turn.cassette, turn.routed), turn.routed.operation);
  }

  /** The next recording for a request identity, with client-generated IDs paired; null when the cassette has none. */
  replay(cassette: Cassette, key: string, operation: Operation): Answer | null {
    const hit = this.#replayer.next(cassette, key);
    if (!hit) return null;
    if (this.#options.reportUnused) {
      const used = this.#used.get(cassette.name);
      if (used) used.add(hit.interaction.id);
      else this.#used.set(cassette.name, new Set([hit.interaction.id]));
    }
    return this.#fromCassette(hit.interaction, hit.idMap, operation);
  }

  #fromCassette(interaction: Interaction, idMap: IdMap | null, operation: Operation): Answer {
    let encoded = this.#encoded.get(interaction);
    if (!encoded) {
      const headers: Headers = {};
      // @note Recorded CORS headers name the recording's origin; the server puts the live request's on every answer.
      for (const [name, value] of Object.entries(interaction.response.headers))
        if (!HOP_HEADERS.has(name) && !name.startsWith('access-control-')) headers[name] = value;
      // Frozen: shared by every replay of this recording, which lets the server prepare them once.
      Object.freeze(headers);
      // Kept as bytes: every replay of it then writes them as they are, with no text to encode.
      const { body } = interaction.response;
      encoded = {
        bytes: encodeBody(body),
        headers,
        findings: validateResponse(operation, interaction.response, this.#options.validator),
        shaped: body?.kind === 'json' && hasShapedPlaceholder(body.value),
      };
      this.#encoded.set(interaction, encoded);
    }
    let response: VcrResponse = { status: interaction.response.status, headers: encoded.headers, body: interaction.response.body };
    let bytes: Buffer | string = encoded.bytes;
    if (encoded.shaped && response.body?.kind === 'json') {
      // A secret stored as its shape: a fresh value of that shape for each replay.
      response = { status: response.status, headers: response.headers, body: { kind: 'json', value: fillPlaceholders(response.body.value) } };
      bytes = wireBody(response.body);
    }
    if (idMap && idMap.size > 0) {
      response = idMap.toLive(response);
      if (response.body !== interaction.response.body) bytes = wireBody(response.body);
    }
    return { response, bytes, source: 'cassette', findings: encoded.findings };
  }
}
