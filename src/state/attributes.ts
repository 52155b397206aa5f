import { rangeProblem } from './document-structure.js';
import { checkAttributeRoom } from './attribute-room.js';
import { checkNewIndex } from './index-rules.js';
import { extendableCopy } from '../model/extendable-copy.js';
import { collection, database } from './databases.js';
import { dropRelationship } from './relationships.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { CollectionEntry, Model, ReadonlyDeep, StateView } from './state-data.js';
import type { StateHandler, StateRoutes } from './state-request.js';
import { listReply, need } from './table.js';

const attributeRef = (params: Record<string, unknown>, key: string) =>
  ({ resource: 'attribute', ids: { databaseId: String(params.databaseId), collectionId: String(params.collectionId), key } }) as const;
const indexRef = (params: Record<string, unknown>, key: string) =>
  ({ resource: 'index', ids: { databaseId: String(params.databaseId), collectionId: String(params.collectionId), key } }) as const;

/** @note Appwrite answers 202 while its worker builds the column or index: the answer says `processing`, a later read `available`. */
function processing(model: Model): Model {
  return Object.assign(model, { status: 'processing' });
}

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
  // @note AttributeDatetime's `format` rule is typed as a datetime, so the word 'datetime' comes out as '' on a real 1.5.0.
  datetime: { type: 'datetime', format: '' },
};

function checkDefault(kind: Kind, params: Record<string, unknown>, settings: Readonly<Model>): void {
  const value = params.default;
  if (value === undefined || value === null) return;
  if (params.required === true) fail('attribute_default_unsupported', 'Cannot set default value for required attribute');
  if (params.array === true) fail('attribute_default_unsupported', 'Cannot set default value for array attributes');
  // databases.php:1382-1386 and 1458-1462 at 1.5.0: the Range validator's own description.
  const outside = (kind === 'integer' || kind === 'float') && typeof value === 'number' ? rangeProblem(value, settings) : null;
  if (outside) fail('attribute_value_invalid', outside);
  if (kind === 'enum' && !(settings.elements as string[]).includes(value as string)) fail('attribute_value_invalid', 'Default value not found in elements');
}

/** `elements` as the router checks it, before the action: `ArrayList(Text(255), 100)`, each text at least 1 char (databases.php:1232 and 1950 at 1.5.0). */
const ELEMENTS_REFUSED =
  'Invalid `elements` param: Value must a valid array no longer than 100 items and Value must be a valid string and at least 1 chars and no longer than 255 chars';

function checkElements(kind: Kind, elements: unknown): void {
  if (kind !== 'enum' || !Array.isArray(elements)) return;
  // tests/e2e/Services/Databases/DatabasesBase.php:1215-1227 at 1.5.0: an empty element is this 400.
  if (elements.length > 100 || elements.some((e) => typeof e !== 'string' || e.length === 0 || [...e].length > 255))
    fail('general_argument_invalid', ELEMENTS_REFUSED);
}

function settingsOf(kind: Kind, params: Record<string, unknown>, previous?: Readonly<Model>): Model {
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
  if (format !== undefined) settings.format = format;
  return settings;
}

function createAttribute(kind: Kind): StateHandler {
  return ({ params, data, tx }) => {
    checkElements(kind, params.elements);
    const entry = collection(data, params);
    const key = params.key as string;
    // databases.php at 1.5.0: the action's range and default checks, then createAttribute's (:77-153): the room
    // left in the collection, and a taken key last.
    const settings = settingsOf(kind, params);
    checkDefault(kind, params, settings);
    const model: Model = Object.assign(
      { key, type: KINDS[kind].type, status: 'available', error: '', required: params.required ?? false, array: params.array ?? false },
      settings,
    );
    model.default = params.default ?? null;
    checkAttributeRoom(entry.attributes.values(), model);
    if (entry.attributes.has(key)) fail('attribute_already_exists');
    return json(202, processing(tx.create(entry.attributes, key, model, attributeRef(params, key), model)));
  };
}

function updateAttribute(kind: Kind): StateHandler {
  return ({ params, data, tx }) => {
    checkElements(kind, params.elements);
    const entry = collection(data, params);
    const model = need(entry.attributes, params.key, 'attribute_not_found');
    if (model.type !== KINDS[kind].type || model.format !== KINDS[kind].format)
      fail('attribute_type_invalid', 'Attribute type does not match the requested update');
    const settings = settingsOf(kind, params, model);
    checkDefault(kind, { ...params, array: model.array }, settings);
    tx.assign(model, Object.assign(settings, { required: params.required ?? model.required, default: params.default ?? null }), false);
    return json(200, tx.record('update', attributeRef(params, String(model.key)), model));
  };
}

function relatedCollection(data: StateView, params: Record<string, unknown>): ReadonlyDeep<CollectionEntry> {
  return collection(data, { databaseId: params.databaseId, collectionId: params.relatedCollectionId });
}

function relationship(
  params: Record<string, unknown>,
  data: StateView,
): { entry: ReadonlyDeep<CollectionEntry>; related: ReadonlyDeep<CollectionEntry>; model: Model } {
  const entry = collection(data, params);
  const related = relatedCollection(data, params);
  const key = (params.key as string | undefined) ?? (params.relatedCollectionId as string);
  if (entry.attributes.has(key)) fail('attribute_already_exists');
  const twoWayKey = (params.twoWayKey as string | undefined) ?? (params.collectionId as string);
  // One relationship per two-way key to a collection (utopia-php/database 0.48.4 createRelationship's "Related attribute already exists").
  for (const other of entry.attributes.values())
    if (
      other.type === 'relationship' &&
      other.relatedCollection === params.relatedCollectionId &&
      String(other.twoWayKey).toLowerCase() === twoWayKey.toLowerCase()
    )
      fail('attribute_already_exists');
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
    twoWayKey,
    onDelete: params.onDelete ?? 'restrict',
    side: 'parent',
  };
  return { entry, related, model };
}

export const attributeRoutes: StateRoutes = {
  databasesListAttributes: ({ params, data }) =>
    listReply('attributes', collection(data, params).attributes.values(), params, { noun: 'Attribute', id: (m) => String(m.key), route: 'attributes' }),
  databasesGetAttribute: ({ params, data }) => json(200, extendableCopy(need(collection(data, params).attributes, params.key, 'attribute_not_found') as Model)),
  databasesDeleteAttribute: ({ params, data, tx }) => {
    const entry = collection(data, params);
    const key = params.key as string;
    const model = need(entry.attributes, key, 'attribute_not_found');
    tx.delete(entry.attributes, key, attributeRef(params, key), model);
    // The column goes with its values: every document that had one loses it.
    if (model.type === 'relationship') dropRelationship(tx, database(data, params.databaseId), String(entry.model.$id), model);
    else for (const document of entry.documents.values()) if (Object.hasOwn(document, key)) tx.unset(document, key);
    return noContent();
  },
  databasesCreateRelationshipAttribute: ({ params, data, tx }) => {
    const { entry, related, model } = relationship(params, data);
    if (model.twoWay === true && related.attributes.has(model.twoWayKey as string)) fail('attribute_already_exists');
    const answer = tx.create(entry.attributes, model.key as string, model, attributeRef(params, model.key as string), model);
    if (model.twoWay === true) {
      const child: Model = Object.assign(extendableCopy(model), {
        key: model.twoWayKey,
        relatedCollection: params.collectionId,
        twoWayKey: model.key,
        side: 'child',
      });
      tx.cascade(() =>
        tx.create(
          related.attributes,
          child.key as string,
          child,
          attributeRef({ databaseId: params.databaseId, collectionId: params.relatedCollectionId }, child.key as string),
          child,
        ),
      );
    }
    return json(202, processing(answer));
  },
  databasesUpdateRelationshipAttribute: ({ params, data, tx }) => {
    const model = need(collection(data, params).attributes, params.key, 'attribute_not_found');
    tx.assign(model, { onDelete: params.onDelete }, false);
    // Both sides keep the same onDelete (utopia-php/database 0.48.4 updateRelationship).
    const twin = collection(data, { databaseId: params.databaseId, collectionId: model.relatedCollection }).attributes.get(String(model.twoWayKey));
    if (twin?.type === 'relationship' && twin.twoWayKey === model.key) tx.assign(twin, { onDelete: params.onDelete }, false);
    return json(200, tx.record('update', attributeRef(params, String(model.key)), model));
  },
  databasesListIndexes: ({ params, data }) =>
    listReply('indexes', collection(data, params).indexes.values(), params, { noun: 'Index', id: (m) => String(m.key), route: 'indexes' }),
  databasesCreateIndex: ({ params, data, tx }) => {
    const entry = collection(data, params);
    const key = params.key as string;
    const attributes = (params.attributes as string[] | undefined) ?? [];
    const type = String(params.type);
    const orders = checkNewIndex(entry.attributes, entry.indexes.size, { type, attributes, orders: (params.orders as string[] | undefined) ?? [] });
    if (entry.indexes.has(key)) fail('index_already_exists');
    const model: Model = { key, type, status: 'available', error: '', attributes, orders };
    return json(202, processing(tx.create(entry.indexes, key, model, indexRef(params, key), model)));
  },
  databasesGetIndex: ({ params, data }) => json(200, extendableCopy(need(collection(data, params).indexes, params.key, 'index_not_found') as Model)),
  databasesDeleteIndex: ({ params, data, tx }) => {
    const entry = collection(data, params);
    const key = params.key as string;
    tx.delete(entry.indexes, key, indexRef(params, key), need(entry.indexes, key, 'index_not_found'));
    return noContent();
  },
};

const NAMES: Record<Kind, string> = {
  string: 'String',
  integer: 'Integer',
  float: 'Float',
  boolean: 'Boolean',
  email: 'Email',
  enum: 'Enum',
  ip: 'Ip',
  url: 'Url',
  datetime: 'Datetime',
};
for (const [kind, name] of Object.entries(NAMES) as [Kind, string][]) {
  attributeRoutes[`databasesCreate${name}Attribute`] = createAttribute(kind);
  attributeRoutes[`databasesUpdate${name}Attribute`] = updateAttribute(kind);
}
