import { Agent, request } from 'node:http';
import type { BenchRequest } from './load.js';

/**
 * Per-request latency with microsecond resolution (autocannon reports whole milliseconds):
 * one keep-alive connection, `count` requests in sequence, cycling through `requests`.
 */
export async function latencyProbe(baseUrl: string, requests: BenchRequest[], count: number): Promise<{ p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(baseUrl);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = requests[i % requests.length] as BenchRequest;
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(r.body);
    });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  agent.destroy();
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
  return { p50: at(0.5), p99: at(0.99) };
}
