import type { JsonSchema } from '../../src/spec/json-schema.js';
import type { Operation } from '../../src/spec/operation.js';

export interface BuiltRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

const PLACEHOLDER = /^<.*>$/;

/** A request that a real Appwrite would accept, built from the operation's declared parameters only. */
export function buildValidRequest(operation: Operation): BuiltRequest {
  const headers: Record<string, string> = { 'x-appwrite-project': 'walk-project' };
  if (operation.credentials.includes('Key')) headers['x-appwrite-key'] = 'walk-key';
  else if (operation.credentials.includes('Session')) headers['x-appwrite-session'] = 'walk-session';
  else if (operation.credentials.includes('JWT')) headers['x-appwrite-jwt'] = 'walk-jwt';
  // @note The spec lists only the project for a few routes of the signed-in user (`POST /account/jwt`,
  // `POST /account/mfa/challenge`); their scope (`account`) is a user's, so a session goes with them.
  else if (operation.scope === 'account') headers['x-appwrite-session'] = 'walk-session';

  let path = operation.pathTemplate;
  for (const param of operation.pathParams) path = path.replace(`{${param.name}}`, encodeURIComponent(String(sample(param.name, param.schema))));
  const query = new URLSearchParams();
  for (const param of operation.queryParams.filter((p) => p.required)) query.set(param.name, String(sample(param.name, param.schema)));
  const search = query.toString();
  const built: BuiltRequest = { method: operation.method, path: search ? `${path}?${search}` : path, headers };

  const content = operation.requestBody?.content;
  const multipart = content?.get('multipart/form-data');
  const json = content?.get('application/json');
  if (multipart) {
    const form = new FormData();
    for (const name of multipart.required ?? []) {
      const schema = multipart.properties?.[name] ?? {};
      if (name === 'file' || name === 'code') form.set(name, new Blob([Buffer.from('walk file content')], { type: 'application/octet-stream' }), 'walk.txt');
      else form.set(name, String(sample(name, schema)));
    }
    built.body = form;
  } else if (json) {
    const body: Record<string, unknown> = {};
    for (const name of json.required ?? []) body[name] = sample(name, json.properties?.[name] ?? {});
    built.headers['content-type'] = 'application/json';
    built.body = JSON.stringify(body);
  }
  return built;
}

function sample(name: string, schema: JsonSchema): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const example = schema['x-example'];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return typeof example === 'number' ? example : 1;
    case 'boolean':
      return typeof example === 'boolean' ? example : false;
    case 'array':
      return Array.isArray(example) ? example : [];
    case 'object':
      return example && typeof example === 'object' ? example : {};
    default:
      if (/Id$/.test(name) || name === 'key') return `${name.replace(/Id$/, '')}-1`;
      if (name === 'email') return 'ada@example.com';
      if (name === 'phone' || name === 'number') return '+14155550100';
      if (name === 'password') return 'password-123456';
      if (/url$/i.test(name) || name === 'success' || name === 'failure') return 'https://example.com/done';
      return typeof example === 'string' && !PLACEHOLDER.test(example) && example !== '' ? example : `${name} value`;
  }
}
