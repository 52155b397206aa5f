import { resolveRecordConfig, type RecordConfig, type RecordOptions } from '../config/record-config.js';
import { Recorder } from '../engine/recorder.js';
import { errorResponse } from '../model/error-response.js';
import { createForwarder } from '../server/forward.js';
import { createUpgradePassthrough } from '../server/upgrade-passthrough.js';
import { openEngine } from './open-engine.js';
import { serveEngine, type RunningVcr } from './serve-engine.js';
import type { ServerHooks } from './start-server.js';

/** `onError` also hears of a cassette write that failed after the client had its answer. */
export interface StartRecorderOptions extends RecordOptions, ServerHooks {}

export interface VcrRecorder extends RunningVcr<RecordConfig> {
  /** Settles once every interaction recorded so far is in its cassette file (journals folded in). */
  flush(): Promise<void>;
}

/** Starts `appwrite-vcr record` in this process: a proxy that forwards to `upstream` and records redacted cassettes. */
export async function startRecorder(options: StartRecorderOptions): Promise<VcrRecorder> {
  const config = resolveRecordConfig(options);
  // The real server is the truth: `strict` never replaces what it answered.
  const { engine } = await openEngine({ ...config, strict: false });
  const forwarder = createForwarder({
    upstream: config.upstream,
    basePath: engine.spec.basePath,
    insecure: config.insecure,
    timeoutMs: config.upstreamTimeoutMs,
    maxAnswerBytes: config.maxBodyBytes,
  });
  const upgrades = createUpgradePassthrough({
    origin: new URL(config.upstream).origin,
    upstreamPath: forwarder.upstreamPath,
    insecure: config.insecure,
    failure: (message) => errorResponse('general_server_error', engine.spec.version, `Failed to forward to "${config.upstream}": ${message}`, 502),
  });
  const recorder = new Recorder(engine, {
    forward: forwarder.forward,
    mode: config.mode,
    cassette: config.cassette,
    upstream: config.upstream,
    onWriteError: options.onError,
  });
  const stop = (): void => {
    upgrades.close();
    forwarder.close();
  };
  try {
    // After the last request: the cassette writes, the folds, the locks, then the connections.
    const onClose = async (): Promise<void> => {
      await recorder.close();
      stop();
    };
    const running = await serveEngine(engine, (raw) => recorder.record(raw), config, options, onClose, { upgrade: upgrades.handle });
    return { ...running, flush: () => recorder.flush() };
  } catch (err) {
    stop();
    throw err;
  }
}
