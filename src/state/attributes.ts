import { collection } from './databases.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { CollectionEntry, Model, StateData } from './state-data.js';
import type { StateHandler, StateRoutes } from './state-request.js';
import { listReply, need } from './table.js';

/** PHP_INT_MIN / PHP_INT_MAX: Appwrite's bounds for an integer attribute created without them. */
export const INT_MIN = -9223372036854775808;
export const INT_MAX = 9223372036854775807;
/** -PHP_FLOAT_MAX / PHP_FLOAT_MAX for float attributes. */
export const FLOAT_MAX = Number.MAX_VALUE;

type Kind = 'string' | 'integer' | 'float' | 'boolean' | 'email' | 'enum' | 'ip' | 'url' | 'datetime';

/** Storage type and format of each attribute kind of the API. */
const KINDS: Record<Kind, { type: string; format?: string }> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  float: { type: 'double' },
  boolean: { type: 'boolean' },
  email: { type: 'string', format: 'email' },
  enum: { type: 'string', format: 'enum' },
  ip: { type: 'string', format: 'ip' },
  url: { type: 'string', format: 'url' },
  datetime: { type: 'datetime', format: 'datetime' },
};

const ATTRIBUTE_QUERY = new Set(['key', 'type', 'size', 'required', 'array', 'status', 'error']);
const INDEX_QUERY = new Set(['key', 'type', 'status', 'attributes', 'error']);

function checkDefault(kind: Kind, params: Record<string, unknown>, settings: Model): void {
  const value = params.default;
  if (value === undefined || value === null) return;
  if (params.required === true) fail('attribute_default_unsupported', 'Cannot set default value for required attribute');
  if (params.array === true) fail('attribute_default_unsupported', 'Cannot set default value for array attributes');
  if ((kind === 'integer' || kind === 'float') && typeof value === 'number' && (value < (settings.min as number) || value > (settings.max as number))) {
    fail('attribute_value_invalid', 'Default value should be between min and max values');
  }
  if (kind === 'enum' && !(settings.elements as string[]).includes(value as string)) fail('attribute_value_invalid', 'Default value not found in elements');
}

function settingsOf(kind: Kind, params: Record<string, unknown>, previous?: Model): Model {
  const settings: Model = {};
  if (kind === 'string') settings.size = params.size ?? previous?.size;
  if (kind === 'integer' || kind === 'float') {
    const low = kind === 'integer' ? INT_MIN : -FLOAT_MAX;
    const high = kind === 'integer' ? INT_MAX : FLOAT_MAX;
    settings.min = params.min ?? previous?.min ?? low;
    settings.max = params.max ?? previous?.max ?? high;
    if ((settings.min as number) > (settings.max as number)) fail('attribute_value_invalid', 'Minimum value must be lesser than maximum value');
  }
  if (kind === 'enum') settings.elements = params.elements ?? previous?.elements;
  const format = KINDS[kind].format;
  if (format) settings.format = format;
  return settings;
}

function createAttribute(kind: Kind): StateHandler {
  return ({ params }, data) => {
    const entry = collection(data, params);
    const key = params.key as string;
    if (entry.attributes.has(key)) fail('attribute_already_exists');
    const settings = settingsOf(kind, params);
    checkDefault(kind, params, settings);
    const model: Model = { key, type: KINDS[kind].type, status: 'available', error: '', required: params.required ?? false, array: params.array ?? false, ...settings };
    model.default = params.default ?? null;
    entry.attributes.set(key, model);
    // @note Appwrite answers 202 while its worker builds the column: the answer says `processing`, a later read `available`.
    return json(202, { ...model, status: 'processing' });
  };
}

function updateAttribute(kind: Kind): StateHandler {
  return ({ params }, data) => {
    const entry = collection(data, params);
    const model = need(entry.attributes, params.key, 'attribute_not_found');
    if (model.type !== KINDS[kind].type || model.format !== KINDS[kind].format) fail('attribute_type_invalid', 'Attribute type does not match the requested update');
    const settings = settingsOf(kind, params, model);
    checkDefault(kind, { ...params, array: model.array }, settings);
    Object.assign(model, settings, { required: params.required ?? model.required, default: params.default ?? null });
    return json(200, model);
  };
}

function relatedCollection(data: StateData, params: Record<string, unknown>): CollectionEntry {
  return collection(data, { databaseId: params.databaseId, collectionId: params.relatedCollectionId });
}

function relationship(params: Record<string, unknown>, data: StateData): { entry: CollectionEntry; related: CollectionEntry; model: Model } {
  const entry = collection(data, params);
  const related = relatedCollection(data, params);
  const key = (params.key as string | undefined) ?? (params.relatedCollectionId as string);
  if (entry.attributes.has(key)) fail('attribute_already_exists');
  const model: Model = {
    key,
    type: 'relationship',
    status: 'available',
    error: '',
    required: false,
    array: false,
    relatedCollection: params.relatedCollectionId,
    relationType: params.type,
    twoWay: params.twoWay ?? false,
    twoWayKey: (params.twoWayKey as string | undefined) ?? (params.collectionId as string),
    onDelete: params.onDelete ?? 'restrict',
    side: 'parent',
  };
  return { entry, related, model };
}

export const attributeRoutes: StateRoutes = {
  databasesListAttributes: ({ params }, data) => listReply('attributes', collection(data, params).attributes.values(), params, { noun: 'Attribute', id: (m) => String(m.key), attributes: ATTRIBUTE_QUERY }),
  databasesGetAttribute: ({ params }, data) => json(200, need(collection(data, params).attributes, params.key, 'attribute_not_found')),
  databasesDeleteAttribute: ({ params }, data) => {
    const entry = collection(data, params);
    need(entry.attributes, params.key, 'attribute_not_found');
    entry.attributes.delete(params.key as string);
    for (const document of entry.documents.values()) delete document[params.key as string];
    return noContent();
  },
  databasesCreateRelationshipAttribute: ({ params }, data) => {
    const { entry, related, model } = relationship(params, data);
    if (model.twoWay === true && related.attributes.has(model.twoWayKey as string)) fail('attribute_already_exists');
    entry.attributes.set(model.key as string, model);
    if (model.twoWay === true) {
      const child: Model = { ...model, key: model.twoWayKey, relatedCollection: params.collectionId, twoWayKey: model.key, side: 'child' };
      related.attributes.set(child.key as string, child);
    }
    return json(202, { ...model, status: 'processing' });
  },
  databasesUpdateRelationshipAttribute: ({ params }, data) => {
    const model = need(collection(data, params).attributes, params.key, 'attribute_not_found');
    if (params.onDelete !== undefined) model.onDelete = params.onDelete;
    return json(200, model);
  },
  databasesListIndexes: ({ params }, data) => listReply('indexes', collection(data, params).indexes.values(), params, { noun: 'Index', id: (m) => String(m.key), attributes: INDEX_QUERY }),
  databasesCreateIndex: ({ params }, data) => {
    const entry = collection(data, params);
    const key = params.key as string;
    if (entry.indexes.has(key)) fail('index_already_exists');
    const attributes = (params.attributes as string[]) ?? [];
    for (const name of attributes) {
      if (!entry.attributes.has(name) && !['$id', '$createdAt', '$updatedAt'].includes(name)) fail('attribute_unknown', `Unknown attribute: ${name}`);
    }
    const model: Model = { key, type: params.type, status: 'available', error: '', attributes, orders: (params.orders as string[] | undefined) ?? [] };
    entry.indexes.set(key, model);
    return json(202, { ...model, status: 'processing' });
  },
  databasesGetIndex: ({ params }, data) => json(200, need(collection(data, params).indexes, params.key, 'index_not_found')),
  databasesDeleteIndex: ({ params }, data) => {
    const entry = collection(data, params);
    need(entry.indexes, params.key, 'index_not_found');
    entry.indexes.delete(params.key as string);
    return noContent();
  },
};

const NAMES: Record<Kind, string> = { string: 'String', integer: 'Integer', float: 'Float', boolean: 'Boolean', email: 'Email', enum: 'Enum', ip: 'Ip', url: 'Url', datetime: 'Datetime' };
for (const [kind, name] of Object.entries(NAMES) as [Kind, string][]) {
  attributeRoutes[`databasesCreate${name}Attribute`] = createAttribute(kind);
  attributeRoutes[`databasesUpdate${name}Attribute`] = updateAttribute(kind);
}
