import { readCredentials } from '../auth/credentials.js';
import { identifyCaller } from '../auth/caller.js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { journalPath } from '../cassette/cassette-journal.js';
import { lockCassette, type Unlock } from '../cassette/cassette-lock.js';
import type { Cassette } from '../cassette/cassette-store.js';
import type { RecordMode } from '../config/record-config.js';
import { decodeBody, mediaTypeOf } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { Headers, VcrRequest, VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { Interaction } from '../model/interaction.js';
import { validateResponse } from '../validate/validate-response.js';
import { ADMIN_TOKEN_HEADER, CASSETTE_HEADER, HOP_HEADERS, headerValue, type Engine } from './engine.js';
import { runPipeline, type Answer, type Answerer, type EngineResult, type RawRequest, type Stages, type Turn } from './pipeline.js';
import { missResponse } from './miss.js';
import { storedFindings } from './stored-findings.js';
import { extendableCopy } from '../model/extendable-copy.js';

/** The upstream's answer: bytes as received for the client, decoded bytes for the cassette. */
export interface UpstreamAnswer {
  status: number;
  headers: Headers;
  wire: Buffer;
  decoded: Buffer;
  /** Set when the content encoding could not be undone: `decoded` is then the wire bytes. */
  undecoded?: boolean;
}

/** No answer: `refused`, `reset`, `tls` and `too-large` (over the answer limit) become 502, `timeout` 504. Nothing is recorded. */
export interface UpstreamFailure {
  failure: 'refused' | 'reset' | 'tls' | 'timeout' | 'too-large';
  message: string;
}

export type Forward = (raw: RawRequest) => Promise<UpstreamAnswer | UpstreamFailure>;

export interface RecorderOptions {
  forward: Forward;
  mode: RecordMode;
  /** The cassette used when a request names none with `X-Vcr-Cassette`. */
  cassette: string;
  /** Where the upstream is, for error messages. */
  upstream: string;
  /** Called when a cassette write fails after the client has its answer. */
  onWriteError?: (error: unknown) => void;
}

/** Request headers that say nothing about the request itself; kept out of cassettes. */
const UNSTORED_REQUEST_HEADERS = new Set([
  CASSETTE_HEADER,
  ADMIN_TOKEN_HEADER,
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'content-length',
]);
/** Connection headers of the upstream's answer, never passed to the client. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade', 'content-length']);

/**
 * The record pipeline: route, validate, forward, validate, redact, store. The real server is the truth:
 * violations never block forwarding, they travel with the answer and are stored on the interaction.
 * The client gets its answer as soon as the interaction is in the cassette in memory; the journal
 * append follows (coalesced with others), and `flush()` / `close()` fold the journals into the files.
 */
export class Recorder {
  readonly #engine: Engine;
  readonly #options: RecorderOptions;
  readonly #writes = new Set<Promise<void>>();
  readonly #locks = new Map<string, Promise<Unlock>>();
  /** The cassettes recorded into, by file, as loaded under their lock. */
  readonly #recorded = new Map<string, Cassette>();
  /** The cassettes under this recorder's lock, by the name requests give: the pipeline takes them without waiting. */
  readonly #held = new Map<string, Cassette>();
  /** Mode `once`: cassette files that existed before this recorder took them, and are only replayed. */
  readonly #sealed = new Set<string>();

  readonly #pipeline: Stages;

  constructor(engine: Engine, options: RecorderOptions) {
    this.#engine = engine;
    this.#options = options;
    this.#pipeline = this.#stages();
  }

  async record(raw: RawRequest): Promise<EngineResult> {
    return this.#engine.tally(await runPipeline(this.#pipeline, raw));
  }

  /** Settles once every interaction recorded so far is in its cassette file, journal folded in. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
    for (const cassette of this.#recorded.values()) this.#track(cassette.fold());
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  /** Flushes, then releases the cassette locks. */
  async close(): Promise<void> {
    await this.flush();
    const locks = await Promise.allSettled(this.#locks.values());
    this.#locks.clear();
    this.#held.clear();
    await Promise.all(locks.flatMap((l) => (l.status === 'fulfilled' ? [l.value()] : [])));
  }

  /**
   * One lock per cassette file, taken before its first recording and held until `close`. Once it is
   * taken the file is read again: the cassette may have been loaded while another recorder still
   * held it, and writing that stale copy would drop what the other one recorded. A journal left by a
   * recorder that was killed is folded in first, so that this one appends to a fresh journal.
   */
  #lock(cassette: Cassette): Promise<Unlock> {
    let lock = this.#locks.get(cassette.file);
    if (!lock) {
      lock = lockCassette(cassette.file).then(async (unlock) => {
        try {
          const sealed = this.#options.mode === 'once' && (existsSync(cassette.file) || existsSync(journalPath(cassette.file)));
          if (sealed) this.#sealed.add(cassette.file);
          const reloaded = await this.#engine.store.reload(cassette.name);
          // Replay redacts with the same rules when it matches against this cassette (a sealed one is left as it is).
          if (!sealed) reloaded.addRedactRules(this.#engine.redactRules);
          reloaded.addMatchIgnoreRules(this.#engine.matchIgnoreRules, !sealed);
          await reloaded.fold();
          this.#recorded.set(reloaded.file, reloaded);
          return unlock;
        } catch (err) {
          await unlock();
          throw err;
        }
      });
      this.#locks.set(cassette.file, lock);
      // Held by another recorder now; the next request tries again, as that one may have stopped.
      lock.catch(() => this.#locks.delete(cassette.file));
    }
    return lock;
  }

  /**
   * Record's steps: the pipeline of replay (src/engine/pipeline.ts) with the upstream in place of the
   * fallbacks, and the store after it. What is not an operation of the spec is forwarded, not recorded.
   */
  #stages(): Stages {
    const engine = this.#engine;
    const { mode } = this.#options;
    const answerers: Answerer[] = [
      // Mode `new` replays what it recorded; mode `once` replays a cassette that existed before.
      (turn) => (mode === 'new' || this.#sealed.has(turn.cassette.file) ? engine.recorded(turn) : null),
      // Mode `once` with a cassette that exists: what it does not hold is an error, as VCR's `once` raises.
      (turn) =>
        this.#sealed.has(turn.cassette.file) ? { response: missResponse(turn.miss(), engine.spec.version), source: 'error', miss: turn.miss() } : null,
      (turn) => this.#fromUpstream(turn),
    ];
    return engine.stages({
      caller: (request) => identifyCaller(readCredentials(request.headers, request.query), null),
      answerers,
      after: [(turn, result, answer) => this.#store(turn, result, answer)],
      unrouted: (raw, error) => {
        // Not a route of the spec, or an unreadable form: still the server's business, but nothing replay could serve.
        const unknown = error.status === 404;
        const what = unknown ? 'is not an operation of the spec' : 'has a body that cannot be read';
        const finding: Finding = {
          kind: unknown ? 'operation-unknown' : 'body-invalid',
          severity: 'warning',
          side: 'request',
          operationId: null,
          path: '',
          message: `${raw.method} ${raw.url.split('?')[0]} ${what}; forwarded, not recorded`,
        };
        return this.#forwardOnly(raw, [finding]);
      },
      // A HEAD answer has no body: recorded, it would stand for the GET it is routed as.
      early: (raw) => (raw.method.toUpperCase() === 'HEAD' ? this.#forwardOnly(raw, []) : null),
      peek: (name) => this.#held.get(name) ?? null,
      open: async (name) => {
        await this.#lock(await engine.store.open(name));
        const cassette = await engine.store.open(name);
        this.#held.set(name, cassette);
        return cassette;
      },
      strict: false,
    });
  }

  async #fromUpstream(turn: Turn): Promise<Answer> {
    const { operation, request } = turn.routed;
    const engine = this.#engine;
    const started = performance.now();
    const answer = await this.#options.forward(turn.raw);
    if ('failure' in answer) return { response: this.#failure(answer), source: 'error' };
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const toClient = storedHeaders(answer.headers, CONNECTION_HEADERS);
    if (answer.undecoded) {
      // Stored, the raw bytes would keep whatever secret they hold readable (base64 is no redaction).
      const finding: Finding = {
        kind: 'body-invalid',
        severity: 'warning',
        side: 'response',
        operationId: operation.operationId,
        path: '',
        message: `the answer's content-encoding ${JSON.stringify(headerValue(answer.headers['content-encoding']) ?? '')} cannot be undone, so it cannot be redacted; forwarded, not recorded`,
      };
      return { response: { status: answer.status, headers: toClient, body: null }, bytes: answer.wire, source: 'upstream', findings: [finding] };
    }
    const mediaType = mediaTypeOf(answer.headers['content-type']);
    const response: VcrResponse = {
      status: answer.status,
      headers: storedHeaders(answer.headers, HOP_HEADERS),
      body: decodeBody(answer.decoded, mediaType, true),
    };
    const recording: Interaction = {
      id: randomUUID(),
      operationId: operation.operationId,
      recordedAt: new Date().toISOString(),
      durationMs,
      request: engine.redactor.request(storedRequest(request), operation.operationId),
      response: engine.redactor.response(response),
    };
    const findings = validateResponse(operation, response, engine.validator);
    return { response: { status: answer.status, headers: toClient, body: response.body }, bytes: answer.wire, source: 'upstream', findings, recording };
  }

  /** The store step: the redacted exchange and its findings (built from the redacted copy) into the cassette. */
  #store(turn: Turn, result: EngineResult, answer: Answer): void {
    const interaction = answer.recording;
    if (!interaction) return;
    if (result.findings.length > 0) interaction.violations = storedFindings(result.findings, interaction.request, interaction.response);
    // Mode `new` replays what it recorded when the request comes again; mode `all` only records.
    this.#track(turn.cassette.append(interaction, this.#options.mode === 'new'));
  }

  async #forwardOnly(raw: RawRequest, findings: Finding[]): Promise<Answer> {
    const answer = await this.#options.forward(raw);
    if ('failure' in answer) return { response: this.#failure(answer), source: 'error', findings };
    const response: VcrResponse = { status: answer.status, headers: storedHeaders(answer.headers, CONNECTION_HEADERS), body: null };
    return { response, bytes: answer.wire, source: 'upstream', findings };
  }

  #failure(answer: UpstreamFailure): VcrResponse {
    const status = answer.failure === 'timeout' ? 504 : 502;
    const reasons: Record<UpstreamFailure['failure'], string> = {
      timeout: answer.message,
      refused: `connection refused (${answer.message})`,
      reset: `connection reset (${answer.message})`,
      tls: `its TLS certificate is not trusted (${answer.message}); --insecure accepts it`,
      'too-large': `${answer.message}; nothing was recorded`,
    };
    const reason = reasons[answer.failure];
    return errorResponse('general_server_error', this.#engine.spec.version, `Failed to forward to "${this.#options.upstream}": ${reason}`, status);
  }

  #track(write: Promise<void>): void {
    const tracked = write.catch((err: unknown) => this.#options.onWriteError?.(err)).finally(() => this.#writes.delete(tracked));
    this.#writes.add(tracked);
  }
}

function storedRequest(request: VcrRequest): VcrRequest {
  const headers: Headers = {};
  for (const [name, value] of Object.entries(request.headers)) if (!UNSTORED_REQUEST_HEADERS.has(name)) headers[name] = value;
  return Object.assign(extendableCopy(request), { headers });
}

function storedHeaders(headers: Headers, drop: ReadonlySet<string>): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !drop.has(name)) out[name] = value;
  return out;
}
