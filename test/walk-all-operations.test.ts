import { OpenAPIBackend } from 'openapi-backend';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, type Spec } from '../src/index.js';
import { resolveSchema } from '../src/fallback/generate-value.js';
import { buildValidRequest } from './support/build-request.js';
import { PINNED_SPEC } from './support/spec-files.js';
import { startTestServer, type TestServer } from './support/server.js';

/**
 * Every operation of the contract, answered over HTTP and checked by a validator that shares
 * no code with the server: openapi-backend's own, compiled from the raw spec file.
 */
describe('schema fallback for every operation of Appwrite 1.5.0', () => {
  let server: TestServer;
  let spec: Spec;
  let independent: OpenAPIBackend;
  let controls = 0;

  beforeAll(async () => {
    server = await startTestServer({ fallback: 'schema' });
    spec = await loadSpec(PINNED_SPEC);
    independent = new OpenAPIBackend({
      definition: withDocumentedQuirksFixed(JSON.parse(readFileSync(PINNED_SPEC, 'utf8'))) as never,
      strict: false,
      quick: false,
      ajvOpts: { strict: false },
      customizeAjv: (ajv) => {
        for (const format of ['int32', 'int64', 'float', 'double', 'url']) ajv.addFormat(format, true);
        return ajv;
      },
    });
    await independent.init();
  }, 120_000);
  afterAll(() => server.stop());

  it('covers the 259 operations of the contract', () => {
    expect(spec.operations).toHaveLength(259);
  });

  it('answers all 259 operations with a response that an independent validator accepts', async () => {
    const failures: string[] = [];
    let passed = 0;
    for (const operation of spec.operations) {
      const request = buildValidRequest(operation);
      const res = await fetch(`${server.endpoint}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const problem = checkAnswer(operation.operationId, operation.appwriteType, res, bytes);
      if (problem) failures.push(`${operation.operationId} ${request.method} ${request.path}: ${problem}`);
      else passed++;
    }
    expect(failures).toEqual([]);
    expect(passed).toBe(259);
    // Most answers are JSON models with required fields; each of those was also checked to fail when mutilated.
    expect(controls).toBeGreaterThan(200);
  }, 120_000);

  function checkAnswer(operationId: string, type: string, res: Response, bytes: Buffer): string | null {
    if (res.status >= 400) return `status ${res.status}: ${bytes.toString()}`;
    if (res.headers.get('x-vcr-source') !== 'fallback') return `x-vcr-source is ${res.headers.get('x-vcr-source')}`;
    if (res.headers.get('x-vcr-violations') !== null) return `the server reports ${res.headers.get('x-vcr-violations')} violations`;
    if (type === 'webAuth') return res.status === 301 && res.headers.get('location') ? null : `expected a 301 with Location, got ${res.status}`;
    if (type === 'location') {
      const contentType = res.headers.get('content-type') ?? '';
      if (bytes.length === 0) return 'no bytes';
      if (contentType === 'image/png' && bytes.subarray(1, 4).toString() !== 'PNG') return 'image/png that is not a PNG';
      return contentType === '' ? 'no content type' : null;
    }
    if (res.status === 204) return bytes.length === 0 ? null : 'a 204 with a body';
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) return `content type ${res.headers.get('content-type')}`;
    const body = JSON.parse(bytes.toString()) as Record<string, unknown>;
    const result = independent.validator.validateResponse(body, operationId, res.status);
    if (!result.valid) return JSON.stringify(result.errors);
    // The control: the same validator must refuse the answer once a required field is gone.
    const required = requiredFields(operationId, res.status);
    if (required.length > 0) {
      const mutilated = { ...body };
      delete mutilated[required[0] as string];
      if (independent.validator.validateResponse(mutilated, operationId, res.status).valid) return `the validator accepts the answer without "${required[0]}"`;
      controls++;
    }
    return null;
  }

  function requiredFields(operationId: string, status: number): string[] {
    const operation = spec.byId.get(operationId);
    const schema = operation?.responses.get(status)?.content.values().next().value;
    return schema ? (resolveSchema(schema, spec.schemas).required ?? []) : [];
  }
});

/**
 * The raw spec with the two quirks that would make the independent validator skip a check:
 * an empty media type key (it would validate nothing) and a body declared on a 204 that the real
 * server sends with 200.
 */
function withDocumentedQuirksFixed(definition: {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
}) {
  for (const item of Object.values(definition.paths)) {
    for (const operation of Object.values(item)) {
      for (const response of Object.values(operation.responses ?? {})) {
        if (response.content && '' in response.content) {
          response.content['application/json'] = response.content[''];
          delete response.content[''];
        }
      }
      const noContent = operation.responses?.['204'];
      if (noContent?.content && operation.responses && !operation.responses['200']) operation.responses['200'] = noContent;
    }
  }
  return definition;
}
