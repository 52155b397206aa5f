import autocannon from 'autocannon';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

/** A discarded warm-up, then the measured run, cycling through the same requests for every row. */
export async function load(baseUrl: string, requests: BenchRequest[], options: LoadOptions): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({
      url: baseUrl,
      connections: options.connections,
      duration,
      requests: requests.map((r) => ({ method: r.method, path: r.path, headers: r.headers, body: r.body })),
    });
  await run(options.warmupSeconds);
  const result = await run(options.seconds);
  return toLoadResult(result);
}

/**
 * A discarded warm-up on `warmup` requests, then exactly `amount` GET requests whose paths are
 * `path(0)`, `path(1)`, ... shared by all connections: every path is asked once, by one connection.
 */
export async function loadDistinct(
  baseUrl: string,
  warmup: BenchRequest[],
  path: (n: number) => string,
  headers: Record<string, string>,
  amount: number,
  options: LoadOptions,
): Promise<LoadResult> {
  await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.warmupSeconds,
    requests: warmup.map((r) => ({ method: r.method, path: r.path, headers: r.headers, body: r.body })),
  });
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    amount,
    // autocannon notices the end of a fixed amount only at its next sample: every 100 ms, not every second.
    sampleInt: 100,
    requests: [{ method: 'GET', headers, setupRequest: (request: object) => ({ ...request, path: path(next++) }) }],
  });
  // A run of a few seconds: the rate is the requests over the run's own duration, not an average of samples.
  return { ...toLoadResult(result), rps: result.requests.total / result.duration };
}

function toLoadResult(result: autocannon.Result): LoadResult {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}
