import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../config/defaults.js';
import { loadSpec, parseSpec } from './load-spec.js';

const doc = {
  openapi: '3.0.0',
  info: { version: '9.9.9', title: 'T' },
  paths: {
    '/things/{thingId}': {
      parameters: [{ name: 'thingId', in: 'path', schema: { type: 'string', 'x-nullable': true } }],
      get: {
        operationId: 'thingsGet',
        parameters: [{ name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } }],
        responses: { '200': { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/thing' } } } } },
      },
      put: {
        operationId: 'thingsUpdate',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { mail: { type: 'string', format: 'email' } } } } } },
        responses: { '204': { description: '' } },
      },
    },
  },
  components: {
    schemas: {
      thing: {
        type: 'object',
        properties: { link: { oneOf: [{ type: 'string', format: 'uri' }, { not: { type: 'string', format: 'ipv4' } }] } },
      },
    },
  },
  // Not a schema: a format named here is nothing the validator checks.
  'x-notes': { format: 'hostname', type: 'note' },
};

describe('the spec loader', () => {
  it('lists the format of every typed schema, in parameters, bodies, answers and components, nested ones included', () => {
    const spec = parseSpec(JSON.stringify(doc));
    expect([...spec.formats].sort()).toEqual(['date-time', 'email', 'ipv4', 'uri']);
  });

  it('normalises a path parameter shared by the operations of its path once, for each of them', () => {
    const spec = parseSpec(JSON.stringify(doc));
    const get = spec.byId.get('thingsGet');
    const put = spec.byId.get('thingsUpdate');
    expect(get?.pathParams[0]?.schema).toEqual({ type: 'string', 'x-nullable': true, nullable: true });
    expect(put?.pathParams[0]?.schema).toEqual(get?.pathParams[0]?.schema);
    expect(spec.schemas.thing?.properties?.link).toMatchObject({ anyOf: [{ format: 'uri' }, { not: { format: 'ipv4' } }] });
    expect(spec.schemas.thing?.properties?.link?.oneOf).toBeUndefined();
  });

  it("finds only Appwrite's own formats in the pinned spec, so no format plugin is loaded for it", async () => {
    const spec = await loadSpec(DEFAULT_SPEC);
    expect([...spec.formats].sort()).toEqual(['double', 'float', 'int32', 'url']);
    expect(JSON.parse(await readFile(DEFAULT_SPEC, 'utf8'))).toMatchObject({ info: { version: spec.version } });
  });
});
