import { Client, Databases, IndexType } from 'node-appwrite-13';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { refusal } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

/** What a collection takes: tests/e2e/Services/Databases/DatabasesBase.php at 1.5.0, testCreateAttributes (300-400) and testCreateIndexes (1232-1440), and DatabasesCustomServerTest.php. */
let server: TestServer;
let databases: Databases;

beforeEach(async () => {
  server = await startTestServer();
  databases = new Databases(new Client().setEndpoint(server.endpoint).setProject('index-rules').setKey('standard_key'));
  await databases.create('db', 'DB');
  await databases.createCollection('db', 'movies', 'Movies');
  await databases.createStringAttribute('db', 'movies', 'title', 256, true);
  await databases.createStringAttribute('db', 'movies', 'description', 512, false, '');
  await databases.createStringAttribute('db', 'movies', 'tagline', 512, false, '');
  await databases.createIntegerAttribute('db', 'movies', 'releaseYear', true, 1900, 2200);
  await databases.createStringAttribute('db', 'movies', 'actors', 256, false, undefined, true);
  await databases.createDatetimeAttribute('db', 'movies', 'birthDay', false);
  await databases.createIntegerAttribute('db', 'movies', 'integers', false, 10, 99, undefined, true);
});

afterEach(async () => {
  await server.stop();
});

it('creates key indexes over attributes, system dates and arrays, dropping the order of an array attribute', async () => {
  const dated = await databases.createIndex('db', 'movies', 'releaseYearDated', IndexType.Key, ['releaseYear', '$createdAt', '$updatedAt']);
  expect(dated).toMatchObject({ key: 'releaseYearDated', type: 'key', attributes: ['releaseYear', '$createdAt', '$updatedAt'] });
  expect((await databases.createIndex('db', 'movies', 'index-actors', IndexType.Key, ['actors'])).attributes).toEqual(['actors']);
  // DatabasesBase.php:1386-1398: the order of the array attribute is overwritten by the API with null.
  const twoLevels = await databases.createIndex('db', 'movies', 'index-ip-actors', IndexType.Key, ['releaseYear', 'actors'], ['DESC', 'DESC']);
  expect(twoLevels.orders).toEqual(['DESC', null]);
  const integers = await databases.createIndex('db', 'movies', 'integers-order', IndexType.Key, ['integers'], ['DESC']);
  expect(integers.orders).toEqual([null]);
});

it('refuses what the index validator refuses, with 400 and its message, before it looks for a taken key', async () => {
  await databases.createIndex('db', 'movies', 'releaseYearDated', IndexType.Key, ['releaseYear']);
  // DatabasesBase.php:1306-1316: the key is taken, but the fulltext type is checked first.
  expect(await refusal(databases.createIndex('db', 'movies', 'releaseYearDated', IndexType.Fulltext, ['releaseYear']))).toMatchObject({
    code: 400,
    message: 'Attribute "releaseYear" cannot be part of a FULLTEXT index, must be of type string',
  });
  expect(await refusal(databases.createIndex('db', 'movies', 'none', IndexType.Key, []))).toMatchObject({
    code: 400,
    message: 'No attributes provided for index',
  });
  expect(await refusal(databases.createIndex('db', 'movies', 'duplicate', IndexType.Fulltext, ['releaseYear', 'releaseYear']))).toMatchObject({
    code: 400,
    message: 'Duplicate attributes provided',
  });
  const tooLong = await refusal(databases.createIndex('db', 'movies', 'tooLong', IndexType.Key, ['description', 'tagline']));
  expect(tooLong.code).toBe(400);
  expect(tooLong.message).toContain('Index length is longer than the maximum');
  expect(await refusal(databases.createIndex('db', 'movies', 'ft', IndexType.Fulltext, ['actors']))).toMatchObject({
    code: 400,
    message: '"Fulltext" index is forbidden on array attributes',
  });
  expect(await refusal(databases.createIndex('db', 'movies', 'index-unknown', IndexType.Key, ['Unknown']))).toMatchObject({
    code: 400,
    message: 'Unknown attribute: Unknown',
  });
});

it('refuses an enum with an empty element as the router does, before it looks at the default (DatabasesBase.php:1215-1227)', async () => {
  const refused = await refusal(databases.createEnumAttribute('db', 'movies', 'enum', ['yes', 'no', ''], false, 'maybe'));
  expect(refused).toEqual({
    code: 400,
    type: 'general_argument_invalid',
    message:
      'Invalid `elements` param: Value must a valid array no longer than 100 items and Value must be a valid string and at least 1 chars and no longer than 255 chars',
  });
  expect((await databases.createEnumAttribute('db', 'movies', 'enum', ['yes', 'no'], false, 'yes')).elements).toEqual(['yes', 'no']);
});

it('refuses an attribute past the row width with 400 attribute_limit_exceeded (DatabasesCustomServerTest.php:1281-1320 at 1.5.0)', async () => {
  await databases.createCollection('db', 'wide', 'Wide');
  for (let i = 0; i < 15; i++) await databases.createStringAttribute('db', 'wide', `attribute${i}`, 1024, true);
  expect(await refusal(databases.createStringAttribute('db', 'wide', 'tooWide', 1024, true))).toEqual({
    code: 400,
    type: 'attribute_limit_exceeded',
    message: 'Attribute limit exceeded',
  });
  // The room is checked before the key: a taken key past the limit is the limit too (databases.php:145-153).
  expect((await refusal(databases.createStringAttribute('db', 'wide', 'attribute0', 1024, true))).type).toBe('attribute_limit_exceeded');
  expect((await databases.createBooleanAttribute('db', 'wide', 'flag', false)).key).toBe('flag');
});

it('refuses an index past the 58 a collection may hold with 400 index_limit_exceeded (DatabasesCustomServerTest.php:1365-1450)', async () => {
  await databases.createCollection('db', 'many', 'Many');
  for (let i = 0; i < 59; i++) await databases.createStringAttribute('db', 'many', `attribute${i}`, 64, true);
  for (let i = 0; i < 58; i++) await databases.createIndex('db', 'many', `key_attribute${i}`, IndexType.Key, [`attribute${i}`]);
  expect(await refusal(databases.createIndex('db', 'many', 'tooMany', IndexType.Key, ['attribute58']))).toEqual({
    code: 400,
    type: 'index_limit_exceeded',
    message: 'Index limit exceeded',
  });
});

it('refuses a default outside the range with the Range validator’s description (databases.php:1382-1386 at 1.5.0)', async () => {
  expect(await refusal(databases.createIntegerAttribute('db', 'movies', 'rating', false, 1, 10, 11))).toEqual({
    code: 400,
    type: 'attribute_value_invalid',
    message: 'Value must be a valid range between 1 and 10',
  });
  expect((await refusal(databases.createFloatAttribute('db', 'movies', 'score', false, 0.5, 9.5, 10))).message).toBe(
    'Value must be a valid range between 1 and 10',
  );
});
