/**
 * Writes N interactions of realistic Appwrite 1.5.0 traffic as cassette files, answered the way replay
 * answers them (the engine, no sockets). Used by the lint tests and the benchmark.
 *
 *   node --import tsx scripts/make-cassettes.ts DIR [INTERACTIONS=100000] [PER_FILE=1000]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CassetteStore } from '../src/cassette/cassette-store.js';
import { emptyCassette, stringifyCassette } from '../src/cassette/cassette-format.js';
import { DEFAULT_SPEC } from '../src/config/defaults.js';
import { Engine } from '../src/engine/engine.js';
import type { Headers } from '../src/model/exchange.js';
import type { Interaction } from '../src/model/interaction.js';
import { parseQuery } from '../src/match/parse-query.js';
import { loadSpec } from '../src/spec/load-spec.js';
import { schemaValidatorFor } from '../src/spec/schema-validator.js';
import { appFlow } from './lint-traffic.js';

export interface MakeCassettesOptions {
  dir: string;
  interactions: number;
  /** Interactions per cassette file (default 1000). */
  perFile?: number;
  /** Distinct users whose flows are cycled through (default 16). */
  users?: number;
  spec?: string;
}

const HEADERS: Headers = {
  'x-appwrite-project': 'bench-project',
  'x-appwrite-key': '[REDACTED]',
  'x-appwrite-response-format': '1.5.0',
  'x-sdk-name': 'Node.js',
  'x-sdk-platform': 'server',
  'x-sdk-language': 'nodejs',
  'x-sdk-version': '13.0.0',
  'content-type': 'application/json',
  accept: '*/*',
};

/** Returns the files written, relative to `dir`. */
export async function makeCassettes(options: MakeCassettesOptions): Promise<string[]> {
  const perFile = options.perFile ?? 1000;
  const spec = await loadSpec(options.spec ?? DEFAULT_SPEC);
  const engine = new Engine({
    spec,
    validator: await schemaValidatorFor(spec),
    store: new CassetteStore({
      dir: join(tmpdir(), 'appwrite-vcr-make-cassettes-unused'),
      meta: { createdBy: 'appwrite-vcr/make-cassettes', specVersion: spec.version },
    }),
    cassette: 'unused',
    strict: false,
    storeFileLimit: 0,
  });
  const templates: Omit<Interaction, 'id'>[] = [];
  for (let user = 0; user < (options.users ?? 16); user++) {
    const id = `6630f1a2b3c4${user.toString(16).padStart(8, '0')}`;
    for (const call of appFlow(id)) {
      const headers: Headers = { ...HEADERS };
      for (const [name, value] of Object.entries(call.headers ?? {})) headers[name] = name.startsWith('x-appwrite-') ? '[REDACTED]' : value;
      const body = call.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(call.body));
      const result = await engine.handle({ method: call.method, url: `${spec.basePath}${call.path}`, headers, body });
      const q = call.path.indexOf('?');
      templates.push({
        operationId: result.operationId,
        recordedAt: '2024-05-01T00:00:00.000Z',
        durationMs: 12.5,
        request: {
          method: call.method,
          path: `${spec.basePath}${q === -1 ? call.path : call.path.slice(0, q)}`,
          query: { ...parseQuery(q === -1 ? '' : call.path.slice(q + 1)) },
          headers,
          body: call.body === undefined ? null : { kind: 'json', value: call.body },
        },
        response: result.response,
      });
    }
  }
  await mkdir(options.dir, { recursive: true });
  const files: string[] = [];
  for (let start = 0, n = 0; start < options.interactions; start += perFile, n++) {
    const cassette = emptyCassette({ createdBy: 'appwrite-vcr/make-cassettes', createdAt: '2024-05-01T00:00:00.000Z', specVersion: spec.version });
    const end = Math.min(options.interactions, start + perFile);
    for (let i = start; i < end; i++) cassette.interactions.push({ id: `gen-${i}`, ...templates[i % templates.length]! });
    const name = `traffic-${String(n).padStart(4, '0')}.json`;
    await writeFile(join(options.dir, name), stringifyCassette(cassette));
    files.push(name);
  }
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [dir, count = '100000', perFile = '1000'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node --import tsx scripts/make-cassettes.ts DIR [INTERACTIONS] [PER_FILE]\n');
    process.exitCode = 2;
  } else {
    const files = await makeCassettes({ dir, interactions: Number(count), perFile: Number(perFile) });
    process.stdout.write(`wrote ${count} interactions in ${files.length} files under ${dir}\n`);
  }
}
