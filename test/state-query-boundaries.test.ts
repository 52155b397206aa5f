import { describe, expect, it } from 'vitest';
import { jsonCall, useTestServer, withQueries } from './support/json-call.js';

/**
 * Document queries and document structure at their boundaries, each test on a collection of its own.
 * Queries follow utopia-php/database 0.48.4 (Query, Validator\Query\*) as Appwrite 1.5.0 locks it; the structure
 * messages follow tests/e2e/Services/Databases/DatabasesBase.php:2968-2976 at 1.5.0.
 */
describe('stateful fallback: queries and structure at their boundaries', () => {
  const server = useTestServer();
  const json = jsonCall(server);
  let next = 0;

  /** A collection with `n` (integer 0..100), `s` (string of 3), `tags` (integer array) and five documents n = 0, 10, 20, 30, 40. */
  async function collection(): Promise<string> {
    const db = `q-${next++}`;
    await json('POST', '/databases', { databaseId: db, name: db });
    await json('POST', `/databases/${db}/collections`, { collectionId: 'c', name: 'C' });
    await json('POST', `/databases/${db}/collections/c/attributes/integer`, { key: 'n', required: false, min: 0, max: 100 });
    await json('POST', `/databases/${db}/collections/c/attributes/string`, { key: 's', size: 3, required: false });
    await json('POST', `/databases/${db}/collections/c/attributes/integer`, { key: 'tags', required: false, array: true });
    for (const i of [3, 0, 4, 1, 2])
      expect((await json('POST', `/databases/${db}/collections/c/documents`, { documentId: `d${i}`, data: { n: i * 10 } })).status).toBe(201);
    return `/databases/${db}/collections/c/documents`;
  }

  const list = async (path: string, ...queries: object[]) => json('GET', withQueries(path, queries));
  const ids = (answer: { body: Record<string, unknown> }): string[] => (answer.body.documents as { $id: string }[]).map((d) => d.$id);

  it('orders ascending and descending by an attribute', async () => {
    const path = await collection();
    expect(ids(await list(path, { method: 'orderAsc', attribute: 'n' }))).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(ids(await list(path, { method: 'orderDesc', attribute: 'n' }))).toEqual(['d4', 'd3', 'd2', 'd1', 'd0']);
  });

  it('takes both bounds of between, and no value past either', async () => {
    const path = await collection();
    const answer = await list(path, { method: 'between', attribute: 'n', values: [10, 30] }, { method: 'orderAsc', attribute: 'n' });
    expect(ids(answer)).toEqual(['d1', 'd2', 'd3']);
    expect(answer.body.total).toBe(3);
  });

  it('matches any of several values of equal, and nothing for a value none has', async () => {
    const path = await collection();
    expect(ids(await list(path, { method: 'equal', attribute: 'n', values: [10, 40] }, { method: 'orderAsc', attribute: 'n' }))).toEqual(['d1', 'd4']);
    const none = await list(path, { method: 'equal', attribute: 'n', values: [5] });
    expect(none.body).toEqual({ total: 0, documents: [] });
  });

  it('refuses an unknown query method, an unknown attribute and limit(0) with 400 general_query_invalid', async () => {
    const path = await collection();
    expect(await list(path, { method: 'nope', attribute: 'n', values: [1] })).toEqual({
      status: 400,
      body: { message: 'Invalid query method: nope', code: 400, type: 'general_query_invalid', version: '1.5.0' },
    });
    expect((await list(path, { method: 'equal', attribute: 'zz', values: [1] })).body).toMatchObject({
      type: 'general_query_invalid',
      message: 'Invalid query: Attribute not found in schema: zz',
    });
    // utopia-php/database Validator\Query\Limit: a Range of 1 to APP_LIMIT_COUNT (5,000).
    expect((await list(path, { method: 'limit', values: [0] })).body).toMatchObject({
      type: 'general_query_invalid',
      message: 'Invalid query: Invalid limit: Value must be a valid range between 1 and 5,000',
    });
    expect(ids(await list(path, { method: 'limit', values: [1] }, { method: 'orderAsc', attribute: 'n' }))).toEqual(['d0']);
  });

  it('refuses a cursor naming no document with 400 general_cursor_not_found, and pages back with cursorBefore', async () => {
    const path = await collection();
    expect(await list(path, { method: 'cursorAfter', values: ['missing'] })).toEqual({
      status: 400,
      body: { message: "Document 'missing' for the 'cursor' value not found.", code: 400, type: 'general_cursor_not_found', version: '1.5.0' },
    });
    // DatabasesBase.php:1880-1900 at 1.5.0: cursorBefore gives the documents before the cursor, in the order asked.
    const before = await list(path, { method: 'orderAsc', attribute: 'n' }, { method: 'cursorBefore', values: ['d3'] });
    expect(ids(before)).toEqual(['d0', 'd1', 'd2']);
    const lastTwo = await list(path, { method: 'orderAsc', attribute: 'n' }, { method: 'cursorBefore', values: ['d3'] }, { method: 'limit', values: [2] });
    expect(ids(lastTwo)).toEqual(['d1', 'd2']);
  });

  it("refuses a value under an integer attribute's min or over its max, and takes both bounds", async () => {
    const path = await collection();
    const refused = await json('POST', path, { documentId: 'under', data: { n: -1 } });
    expect(refused).toEqual({
      status: 400,
      body: {
        message: 'Invalid document structure: Attribute "n" has invalid format. Value must be a valid range between 0 and 100',
        code: 400,
        type: 'document_invalid_structure',
        version: '1.5.0',
      },
    });
    expect((await json('POST', path, { documentId: 'over', data: { n: 101 } })).status).toBe(400);
    expect((await json('POST', path, { documentId: 'lowest', data: { n: 0 } })).status).toBe(201);
    expect((await json('POST', path, { documentId: 'highest', data: { n: 100 } })).status).toBe(201);
  });

  it('takes a string of exactly its size and refuses one character more', async () => {
    const path = await collection();
    expect((await json('POST', path, { documentId: 'exact', data: { s: 'abc' } })).status).toBe(201);
    expect((await json('POST', path, { documentId: 'long', data: { s: 'abcd' } })).body).toMatchObject({
      message: 'Invalid document structure: Attribute "s" has invalid type. Value must be a valid string and no longer than 3 chars',
    });
  });

  it('refuses 1.5 for an integer, and checks every item of an array attribute', async () => {
    const path = await collection();
    expect((await json('POST', path, { documentId: 'float', data: { n: 1.5 } })).body).toMatchObject({
      message: 'Invalid document structure: Attribute "n" has invalid format. Value must be a valid integer',
    });
    expect((await json('POST', path, { documentId: 'item', data: { tags: [1, 'x'] } })).body).toMatchObject({
      message: `Invalid document structure: Attribute "tags['1']" has invalid format. Value must be a valid integer`,
    });
    expect((await json('POST', path, { documentId: 'scalar', data: { tags: 3 } })).body).toMatchObject({
      message: 'Invalid document structure: Attribute "tags" must be an array',
    });
    expect((await json('POST', path, { documentId: 'fine', data: { tags: [1, 2] } })).status).toBe(201);
  });
});
