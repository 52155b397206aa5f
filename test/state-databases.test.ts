import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppwriteException, Client, Databases, ID, Query } from 'node-appwrite-13';
import { startTestServer, type TestServer } from './support/server.js';

const ROLES = ['admin', 'editor', 'viewer'] as const;

describe('stateful fallback: a database flow through the official SDK', () => {
  let server: TestServer;
  let databases: Databases;
  let next = 0;
  beforeAll(async () => {
    server = await startTestServer();
    databases = new Databases(new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key'));
  });
  afterAll(() => server.stop());

  /** A database of its own with the `people` collection (name, age 0..150, role) and `count` people p00, p01... aged 20, 21... */
  async function people(count: number): Promise<string> {
    const db = `shop-${next++}`;
    await databases.create(db, 'Shop');
    await databases.createCollection(db, 'people', 'People', ['read("any")']);
    await databases.createStringAttribute(db, 'people', 'name', 32, true);
    await databases.createIntegerAttribute(db, 'people', 'age', true, 0, 150);
    await databases.createBooleanAttribute(db, 'people', 'active', false, true);
    await databases.createEmailAttribute(db, 'people', 'email', false);
    await databases.createEnumAttribute(db, 'people', 'role', [...ROLES], false, 'viewer');
    for (let i = 0; i < count; i++) await databases.createDocument(db, 'people', `p${String(i).padStart(2, '0')}`, { name: `Person ${i}`, age: 20 + i });
    return db;
  }

  it('creates a database, collection, attributes and index, and lists 30 documents with queries, totals and pages', async () => {
    const db = await databases.create('shop', 'Shop');
    expect(db).toMatchObject({ $id: 'shop', name: 'Shop', enabled: true });
    expect(db.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    const collection = await databases.createCollection('shop', 'people', 'People', ['read("any")']);
    expect(collection.$permissions).toEqual(['read("any")']);

    const name = await databases.createStringAttribute('shop', 'people', 'name', 32, true);
    expect(name).toMatchObject({ key: 'name', type: 'string', size: 32, required: true, status: 'processing' });
    await databases.createIntegerAttribute('shop', 'people', 'age', true, 0, 150);
    await databases.createBooleanAttribute('shop', 'people', 'active', false, true);
    await databases.createEmailAttribute('shop', 'people', 'email', false);
    await databases.createEnumAttribute('shop', 'people', 'role', [...ROLES], false, 'viewer');
    await databases.createDatetimeAttribute('shop', 'people', 'joined', false);
    await databases.createIndex('shop', 'people', 'by_age', 'key' as never, ['age']);
    const attributes = await databases.listAttributes('shop', 'people');
    expect(attributes.total).toBe(6);
    expect((attributes.attributes as unknown as { status: string }[]).every((a) => a.status === 'available')).toBe(true);
    expect((await databases.getCollection('shop', 'people')).indexes.map((i) => i.key)).toEqual(['by_age']);

    for (let i = 0; i < 30; i++) {
      await databases.createDocument('shop', 'people', `p${String(i).padStart(2, '0')}`, {
        name: `Person ${i}`,
        age: 20 + i,
        email: `p${i}@example.com`,
        role: ROLES[i % 3],
        joined: '2024-05-01T10:00:00.000Z',
      });
    }
    const firstPage = await databases.listDocuments('shop', 'people');
    expect(firstPage.total).toBe(30);
    expect(firstPage.documents).toHaveLength(25);
    expect(firstPage.documents[0]).toMatchObject({
      $id: 'p00',
      active: true,
      role: 'admin',
      joined: '2024-05-01T10:00:00.000+00:00',
      $collectionId: 'people',
      $databaseId: 'shop',
    });

    const admins = await databases.listDocuments('shop', 'people', [Query.equal('role', 'admin')]);
    expect(admins.total).toBe(10);
    const older = await databases.listDocuments('shop', 'people', [Query.greaterThan('age', 44), Query.orderDesc('age')]);
    expect(older.total).toBe(5);
    expect(older.documents.map((d) => d.age)).toEqual([49, 48, 47, 46, 45]);

    const page1 = await databases.listDocuments('shop', 'people', [Query.orderDesc('age'), Query.limit(10)]);
    expect(page1.total).toBe(30);
    expect(page1.documents.map((d) => d.$id)).toEqual(Array.from({ length: 10 }, (_, i) => `p${29 - i}`));
    const page2 = await databases.listDocuments('shop', 'people', [Query.orderDesc('age'), Query.limit(10), Query.cursorAfter(page1.documents[9]!.$id)]);
    expect(page2.total).toBe(30);
    expect(page2.documents.map((d) => d.$id)).toEqual(Array.from({ length: 10 }, (_, i) => `p${19 - i}`));

    // A real 1.5.0 leaves out the system attributes not selected; a document gets `$collectionId` and `$databaseId`
    // back (the recordings README, "What the real server does that the spec does not say"), a list's documents only
    // when selected (app/controllers/api/databases.php:3100-3118; e2e DatabasesBase.php:4531-4533 at 1.5.0).
    const selected = await databases.listDocuments('shop', 'people', [Query.select(['name']), Query.limit(1)]);
    expect(selected.documents[0]).toEqual({ name: 'Person 0' });
    const selectedIds = await databases.listDocuments('shop', 'people', [Query.select(['name', '$databaseId']), Query.limit(1)]);
    expect(selectedIds.documents[0]).toEqual({ $databaseId: 'shop', name: 'Person 0' });
    const withId = await databases.getDocument('shop', 'people', 'p00', [Query.select(['$id', 'age'])]);
    expect(withId).toEqual({ $id: 'p00', $collectionId: 'people', $databaseId: 'shop', age: 20 });

    const either = await databases.listDocuments('shop', 'people', [Query.or([Query.equal('name', 'Person 1'), Query.between('age', 48, 60)])]);
    expect(either.documents.map((d) => d.$id)).toEqual(['p01', 'p28', 'p29']);
  });

  it('updates and deletes a document, then answers 404 document_not_found', async () => {
    const db = await people(5);
    const updated = await databases.updateDocument(db, 'people', 'p03', { name: 'Ada' });
    expect(updated).toMatchObject({ $id: 'p03', name: 'Ada', age: 23 });
    expect(updated.$updatedAt >= updated.$createdAt).toBe(true);
    expect((await databases.getDocument(db, 'people', 'p03')).name).toBe('Ada');
    await databases.deleteDocument(db, 'people', 'p03');
    const error = await databases.getDocument(db, 'people', 'p03').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppwriteException);
    expect(error).toMatchObject({ code: 404, type: 'document_not_found', message: 'Document with the requested ID could not be found.' });
    const left = await databases.listDocuments(db, 'people');
    expect(left.total).toBe(4);
    expect(left.documents.map((d) => d.$id)).toEqual(['p00', 'p01', 'p02', 'p04']);
  });

  it("refuses a duplicate id with 409 and a bad structure with Appwrite's messages", async () => {
    const db = await people(2);
    const duplicate = await databases.createDocument(db, 'people', 'p01', { name: 'Again', age: 1 }).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: 409, type: 'document_already_exists' });
    const cases: [Record<string, unknown>, string][] = [
      [{ age: 5 }, 'Invalid document structure: Missing required attribute "name"'],
      [{ name: 'X', age: 5, nickname: 'x' }, 'Invalid document structure: Unknown attribute: "nickname"'],
      [{ name: 'X', age: 'five' }, 'Invalid document structure: Attribute "age" has invalid format. Value must be a valid integer'],
      [{ name: 'X', age: 151 }, 'Invalid document structure: Attribute "age" has invalid format. Value must be a valid range between 0 and 150'],
      [
        { name: 'X'.repeat(33), age: 5 },
        'Invalid document structure: Attribute "name" has invalid type. Value must be a valid string and no longer than 32 chars',
      ],
      [{ name: 'X', age: 5, email: 'nope' }, 'Invalid document structure: Attribute "email" has invalid format. Value must be a valid email address'],
      [{ name: 'X', age: 5, role: 'owner' }, 'Invalid document structure: Attribute "role" has invalid format. Value must be one of (admin, editor, viewer)'],
      [{ name: 'X', age: 5, active: 'yes' }, 'Invalid document structure: Attribute "active" has invalid type. Value must be a valid boolean'],
    ];
    for (const [data, message] of cases) {
      const error = await databases.createDocument(db, 'people', ID.unique(), data).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 400, type: 'document_invalid_structure', message });
    }
    expect((await databases.listDocuments(db, 'people')).total).toBe(2);
  });

  it('answers an unparsable query with 400 general_query_invalid and a missing collection with 404', async () => {
    const db = await people(1);
    const res = await server.call('GET', `/databases/${db}/collections/people/documents?queries%5B0%5D=${encodeURIComponent('{not json')}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Invalid query: Syntax error', code: 400, type: 'general_query_invalid', version: '1.5.0' });
    const missing = await databases.listDocuments(db, 'nope').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 404, type: 'collection_not_found' });
  });

  it('makes a 20-hex-digit id for unique() and deletes collections with their database', async () => {
    const db = await people(0);
    const made = await databases.createDocument(db, 'people', 'unique()', { name: 'Grace', age: 40 });
    expect(made.$id).toMatch(/^[0-9a-f]{20}$/);
    await databases.delete(db);
    expect(await databases.getCollection(db, 'people').catch((e: unknown) => e)).toMatchObject({ code: 404, type: 'database_not_found' });
  });

  it('answers every request of a flow within the contract', async () => {
    const before = server.summary();
    const db = await people(3);
    await databases.listDocuments(db, 'people', [Query.orderDesc('age'), Query.limit(2)]);
    await databases.updateDocument(db, 'people', 'p01', { name: 'Ada' });
    const summary = server.summary();
    // 1 database, 1 collection, 5 attributes, 3 documents, 1 list, 1 update.
    expect(summary.requests - before.requests).toBe(12);
    expect(summary.responseViolations).toBe(before.responseViolations);
  });
});
