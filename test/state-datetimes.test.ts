import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, Databases, Query } from 'node-appwrite-13';
import { failure } from './support/callers.js';
import { startTestServer, type TestServer } from './support/server.js';

// tests/e2e/Services/Databases/DatabasesBase.php:1490-1590 and 2160-2186 at 1.5.0: datetimes with an offset, with a
// zone name and without a zone (read as UTC, the server's zone), stored and compared in UTC.
describe('stateful fallback: datetimes as Appwrite 1.5 reads, stores and compares them', () => {
  let server: TestServer;
  let databases: Databases;
  beforeAll(async () => {
    server = await startTestServer();
    databases = new Databases(new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key'));
  });
  beforeEach(async () => {
    await server.reset();
    await databases.create('db', 'DB');
    await databases.createCollection('db', 'movies', 'Movies');
    await databases.createStringAttribute('db', 'movies', 'title', 64, true);
    await databases.createDatetimeAttribute('db', 'movies', 'birthDay', false);
  });
  afterAll(() => server.stop());

  const movie = async (id: string, birthDay: string | null) =>
    (await databases.createDocument('db', 'movies', id, { title: id, birthDay })) as unknown as { birthDay: string | null };

  it('stores an offset, a zone name and no zone in UTC, and compares a query value in UTC', async () => {
    expect((await movie('captain', '1975-06-12 14:12:55+02:00')).birthDay).toBe('1975-06-12T12:12:55.000+00:00');
    expect((await movie('far', null)).birthDay).toBeNull();
    // America/New_York keeps summer time in June: UTC-4 (DatabasesBase.php:2184).
    expect((await movie('home', '1975-06-12 14:12:55 America/New_York')).birthDay).toBe('1975-06-12T18:12:55.000+00:00');
    expect((await movie('winter', '1975-01-12 14:12:55 America/New_York')).birthDay).toBe('1975-01-12T19:12:55.000+00:00');
    expect((await movie('plain', '1976-06-12 14:12:55')).birthDay).toBe('1976-06-12T14:12:55.000+00:00');
    const after = await databases.listDocuments('db', 'movies', [
      Query.greaterThan('birthDay', '1960-01-01 10:10:10+02:30'),
      Query.lessThan('birthDay', '1976-01-01'),
    ]);
    expect(after.documents.map((d) => d.birthDay as string)).toEqual([
      '1975-06-12T12:12:55.000+00:00',
      '1975-06-12T18:12:55.000+00:00',
      '1975-01-12T19:12:55.000+00:00',
    ]);
    // A day 0 is the month before's last day, as PHP reads it (DatabasesBase.php:4508 queries `2050-12-0`).
    expect((await databases.listDocuments('db', 'movies', [Query.between('birthDay', '1975-06-0', '1975-06-12 14:12:55+02:00')])).total).toBe(1);
  });

  it('refuses a date PHP cannot read, in a document and in a query (DatabasesBase.php:2160-2171)', async () => {
    expect(await failure(movie('bad', '16/01/2024 12:00:00AM'))).toMatchObject({
      code: 400,
      type: 'document_invalid_structure',
      message: 'Invalid document structure: Attribute "birthDay" has invalid type. Value must be valid date.',
    });
    expect(await failure(movie('zone', '1975-06-12 14:12:55 Nowhere/Zone'))).toMatchObject({ code: 400, type: 'document_invalid_structure' });
    expect(await failure(databases.listDocuments('db', 'movies', [Query.greaterThan('birthDay', '16/01/2024 12:00:00AM')]))).toMatchObject({
      code: 400,
      type: 'general_query_invalid',
      message: 'Invalid query: Query value is invalid for attribute "birthDay"',
    });
  });
});
