import { identifyCaller, type Caller } from '../auth/caller.js';
import { readCredentials } from '../auth/credentials.js';
import { Cassette, CassetteStore } from '../cassette/cassette-store.js';
import { isVcrError } from '../errors/vcr-error.js';
import { BodyParseError, decodeBody, encodeBody, wireBody, isJsonMediaType, mediaTypeOf } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { Body, Headers, VcrRequest, VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { Interaction } from '../model/interaction.js';
import { parseQuery } from '../match/parse-query.js';
import { requestKey } from '../match/request-key.js';
import { generateResponse } from '../fallback/generate-response.js';
import type { Spec } from '../spec/load-spec.js';
import type { Operation } from '../spec/operation.js';
import type { RouteMatch } from '../spec/router.js';
import type { SchemaValidator } from '../spec/schema-validator.js';
import { validateRequest } from '../validate/validate-request.js';
import { validateResponse } from '../validate/validate-response.js';
import { parseMultipart, MultipartError } from '../match/parse-multipart.js';
import type { AppwriteState } from '../state/appwrite-state.js';
import { emptySummary, tally, tallyMiss, type MissEntry, type Summary, type UnusedRecording } from './summary.js';
import { missRequestLine, missResponse, type Miss } from './miss.js';
import { nearestRecordings } from '../match/nearest-recordings.js';
import { fillPlaceholders, hasShapedPlaceholder } from '../match/placeholder-shape.js';
import type { MatchableRequest } from '../match/request-key.js';
import type { FallbackMode } from '../config/server-config.js';
import { Redactor } from '../cassette/redact.js';
import { parseRedactRule, redactRuleText, type RedactRule } from '../config/redact-rule.js';
import type { IdMap } from '../match/id-map.js';
import { Replayer } from './replayer.js';

/** Where an answer came from (`state`: the stateful model of what the run created). */
export type Source = 'cassette' | 'state' | 'fallback' | 'upstream' | 'error';

/** A request as it arrived on the socket, before any parsing. */
export interface RawRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: Headers;
  body: Buffer;
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
export const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'date', 'proxy-connection', 'upgrade', 'trailer']);

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
  /** Misses listed in the summary, by cassette and request identity. */
  readonly #missed = new Map<string, MissEntry>();
  /** Per cassette name: the IDs of the recordings replayed in this run. */
  readonly #used = new Map<string, Set<string>>();

  constructor(options: EngineOptions) {
    this.#options = options;
    this.spec = options.spec;
    this.redactor = new Redactor(options.redact);
    this.#replayer = new Replayer(options.idMap ?? true);
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
   * Answers a request. Synchronous when nothing needs waiting for (the cassette is loaded and the body
   * is not multipart): most requests then go from socket to answer without a turn of the event loop.
   */
  handle(raw: RawRequest): EngineResult | Promise<EngineResult> {
    const parsed = this.parseSync(raw);
    if (parsed !== null) {
      if ('error' in parsed) return this.tally(this.#error(parsed.error, null, null));
      const cassette = this.#options.store.peek(this.#cassetteName(raw));
      if (cassette) return this.tally(this.#answer(parsed, cassette));
    }
    return this.#handleAsync(raw).then((result) => this.tally(result));
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
          if (!used?.has(interaction.id)) unused.push({ id: interaction.id, index, operationId: interaction.operationId, request: `${interaction.request.method} ${interaction.request.path}` });
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

  #cassetteName(raw: RawRequest): string {
    return headerValue(raw.headers[CASSETTE_HEADER]) ?? this.#options.cassette;
  }

  async #handleAsync(raw: RawRequest): Promise<EngineResult> {
    const { spec } = this;
    const cassetteName = this.#cassetteName(raw);
    const parsed = await this.parse(raw);
    if ('error' in parsed) return this.#error(parsed.error, null, null);
    let cassette: Cassette;
    try {
      cassette = await this.#options.store.open(cassetteName);
    } catch (err) {
      const operationId = parsed.operation.operationId;
      if (isVcrError(err) && err.code === 'CASSETTE_NAME_INVALID') return this.#error(errorResponse('general_argument_invalid', spec.version, err.message), operationId, null);
      if (isVcrError(err)) return this.#error(errorResponse('general_server_error', spec.version, err.message, 500), operationId, cassetteName);
      throw err;
    }
    return this.#answer(parsed, cassette);
  }

  /** Validate, then the cassette, Appwrite's own refusal, the state, the schema: the first that answers. */
  #answer(parsed: RoutedRequest, cassette: Cassette): EngineResult {
    const { spec } = this;
    const { request, operation, pathParams, key } = parsed;
    const state = this.#options.state;
    const caller = identifyCaller(readCredentials(request.headers, request.query), state ? state.sessions : null);
    const check = validateRequest(operation, { headers: request.headers, query: request.query, body: request.body, bodyError: parsed.bodyError, pathParams, caller }, this.#options.validator);
    const replayed = this.replay(cassette, this.keyFor(cassette, parsed), operation, check.findings);
    if (replayed) {
      const status = replayed.response.status;
      if (this.#writeListeners.length > 0 && request.method !== 'GET' && request.method !== 'HEAD' && status >= 200 && status < 300 && !replayed.strictRejected) {
        const write: CassetteWrite = { operationId: operation.operationId, pathParams, caller, response: replayed.response };
        for (const listener of [...this.#writeListeners]) listener(write);
      }
      return replayed;
    }
    const miss = this.missOf(cassette, parsed);
    if (this.#options.fallback === 'none') return Object.assign(this.#error(missResponse(miss, spec.version), operation.operationId, cassette.name, check.findings), { miss });
    let result: EngineResult;
    if (check.rejection) {
      const { status, type, message } = check.rejection;
      result = this.#error(errorResponse(type, spec.version, message, status), operation.operationId, cassette.name, check.findings);
    } else {
      const answer = state ? state.answer({ operationId: operation.operationId, params: check.params, headers: request.headers, files: parsed.files ?? new Map(), caller }) : null;
      result = answer
        ? this.finish(answer, 'state', operation, cassette.name, check.findings)
        : this.finish(generateResponse({ operation, params: check.params, requestDigest: key, schemas: spec.schemas }), 'fallback', operation, cassette.name, check.findings);
    }
    result.miss = miss;
    return result;
  }

  /** Why a request matched no recording of the cassette: the nearest recordings of its operation and what differs. */
  missOf(cassette: Cassette, routed: RoutedRequest): Miss {
    const operationId = routed.operation.operationId;
    const sent = this.#matchable(cassette, routed);
    const candidates = cassette.recordingsOf(operationId);
    const nearest = nearestRecordings(sent, candidates, (i) => cassette.interactions.indexOf(i), (i) => cassette.matchIgnore.apply(i.request));
    return { cassette: cassette.name, operationId, request: missRequestLine(sent.method, sent.path, sent.query), recordings: candidates.length, nearest };
  }

  /** Splits and routes a raw request; an unknown route or a broken multipart body is an Appwrite error. */
  async parse(raw: RawRequest): Promise<RoutedRequest | { error: VcrResponse }> {
    const parsed = this.parseSync(raw);
    if (parsed !== null) return parsed;
    const route = this.#route(raw);
    if ('error' in route) return route;
    try {
      const form = await parseMultipart(raw.body, raw.headers as Record<string, string>, this.#options.storeFileLimit);
      return this.#routed(route, raw, { kind: 'multipart', fields: form.fields, files: form.files }, undefined, form.bytes);
    } catch (err) {
      if (!(err instanceof MultipartError)) throw err;
      return { error: errorResponse('general_argument_invalid', this.spec.version, `Invalid multipart body: ${err.message}`) };
    }
  }

  /** `parse` without waiting; null for a multipart body, which only `parse` reads. */
  parseSync(raw: RawRequest): RoutedRequest | { error: VcrResponse } | null {
    const route = this.#route(raw);
    if ('error' in route) return route;
    if (raw.body.length === 0) return this.#routed(route, raw, null);
    const mediaType = mediaTypeOf(raw.headers['content-type']);
    if (mediaType === 'multipart/form-data') return null;
    try {
      return this.#routed(route, raw, decodeBody(raw.body, isJsonMediaType(mediaType) || mediaType === '' ? 'application/json' : mediaType));
    } catch (err) {
      if (!(err instanceof BodyParseError)) throw err;
      return this.#routed(route, raw, null, err.message);
    }
  }

  #route(raw: RawRequest): { match: RouteMatch; method: string; path: string; search: string } | { error: VcrResponse } {
    const { spec } = this;
    // @note utopia answers HEAD as the GET of the same route (Node leaves the body out): its identity is the GET's.
    const upper = raw.method.toUpperCase();
    const method = upper === 'HEAD' ? 'GET' : upper;
    const q = raw.url.indexOf('?');
    const path = q === -1 ? raw.url : raw.url.slice(0, q);
    const search = q === -1 ? '' : raw.url.slice(q + 1);
    const base = spec.basePath;
    const inBase = base === '' || path === base || path.startsWith(`${base}/`);
    const match = inBase ? spec.router.match(method, path, base.length) : null;
    if (!match) return { error: errorResponse('general_route_not_found', spec.version) };
    return { match, method, path, search };
  }

  #routed(route: { match: RouteMatch; method: string; path: string; search: string }, raw: RawRequest, body: Body | null, bodyError?: string, files?: Map<string, Buffer>): RoutedRequest {
    const request: VcrRequest = { method: route.method, path: route.path, query: parseQuery(route.search), headers: raw.headers, body };
    const { operation } = route.match;
    const routed: RoutedRequest = { request, operation, pathParams: route.match.params, key: requestKey(this.redactor.matchable(request, operation.operationId)) };
    if (bodyError !== undefined) routed.bodyError = bodyError;
    if (files) routed.files = files;
    return routed;
  }

  /** Validates the answer, applies `strict`, and encodes the body. */
  finish(response: VcrResponse, source: Source, operation: Operation, cassette: string | null, requestFindings: Finding[]): EngineResult {
    const responseFindings = validateResponse(operation, response, this.#options.validator);
    const findings = responseFindings.length === 0 ? requestFindings : [...requestFindings, ...responseFindings];
    return this.#strict({ response, bytes: wireBody(response.body), source, operationId: operation.operationId, cassette, findings });
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

  /** The next recording for a request identity, with client-generated IDs paired; null when the cassette has none. */
  replay(cassette: Cassette, key: string, operation: Operation, requestFindings: Finding[]): EngineResult | null {
    const hit = this.#replayer.next(cassette, key);
    if (!hit) return null;
    if (this.#options.reportUnused) {
      const used = this.#used.get(cassette.name);
      if (used) used.add(hit.interaction.id);
      else this.#used.set(cassette.name, new Set([hit.interaction.id]));
    }
    return this.#fromCassette(hit.interaction, hit.idMap, operation, cassette.name, requestFindings);
  }

  #fromCassette(interaction: Interaction, idMap: IdMap | null, operation: Operation, cassette: string, requestFindings: Finding[]): EngineResult {
    let encoded = this.#encoded.get(interaction);
    if (!encoded) {
      const headers: Headers = {};
      // @note Recorded CORS headers name the recording's origin; the server puts the live request's on every answer.
      for (const [name, value] of Object.entries(interaction.response.headers)) if (!HOP_HEADERS.has(name) && !name.startsWith('access-control-')) headers[name] = value;
      // Frozen: shared by every replay of this recording, which lets the server prepare them once.
      Object.freeze(headers);
      // Kept as bytes: every replay of it then writes them as they are, with no text to encode.
      const { body } = interaction.response;
      encoded = { bytes: encodeBody(body), headers, findings: validateResponse(operation, interaction.response, this.#options.validator), shaped: body?.kind === 'json' && hasShapedPlaceholder(body.value) };
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
    const findings = encoded.findings.length === 0 ? requestFindings : [...requestFindings, ...encoded.findings];
    return this.#strict({ response, bytes, source: 'cassette', operationId: operation.operationId, cassette, findings });
  }

  #error(response: VcrResponse, operationId: string | null, cassette: string | null, findings: Finding[] = []): EngineResult {
    return { response, bytes: wireBody(response.body), source: 'error', operationId, cassette, findings };
  }

  #strict(result: EngineResult): EngineResult {
    if (!this.#options.strict) return result;
    const violation = result.findings.find((f) => f.side === 'response' && f.severity === 'error');
    if (!violation) return result;
    const message = `Response violates the contract of ${result.operationId ?? 'this route'}: ${violation.path || '(body)'} ${violation.message}`;
    const response = errorResponse('general_server_error', this.spec.version, message, 502);
    return { ...result, response, bytes: wireBody(response.body), strictRejected: true };
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
