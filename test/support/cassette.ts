import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Interaction } from '../../src/index.js';

/** An interaction as a recording would store it, with a JSON answer. */
export function jsonInteraction(
  id: string,
  method: string,
  path: string,
  status: number,
  value: unknown,
  extra: Partial<Interaction['request']> = {},
): Interaction {
  return {
    id,
    operationId: null,
    recordedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    request: { method, path, query: {}, headers: {}, body: null, ...extra },
    response: { status, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value } },
  };
}

/** Writes a cassette file the way appwrite-vcr does; `meta` adds to its meta (`redact`, `matchIgnore`). */
export async function writeCassette(dir: string, name: string, interactions: Interaction[], meta: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, `${name}.json`);
  await mkdir(dirname(file), { recursive: true });
  const cassette = {
    format: 'appwrite-vcr-cassette',
    version: 1,
    meta: { createdBy: 'test', createdAt: '2026-01-01T00:00:00.000Z', specVersion: '1.5.0', ...meta },
    interactions,
  };
  await writeFile(file, `${JSON.stringify(cassette, null, 2)}\n`);
  return file;
}

export function user(id: string, name: string): Record<string, unknown> {
  return {
    $id: id,
    $createdAt: '2026-01-01T00:00:00.000+00:00',
    $updatedAt: '2026-01-01T00:00:00.000+00:00',
    name,
    registration: '2026-01-01T00:00:00.000+00:00',
    status: true,
    labels: [],
    passwordUpdate: '',
    email: `${id}@example.com`,
    phone: '',
    emailVerification: false,
    phoneVerification: false,
    mfa: false,
    prefs: {},
    targets: [],
    accessedAt: '',
  };
}
