import { describe, expect, it } from 'vitest';
import { jsonCall, useTestServer, withQueries } from './support/json-call.js';

/**
 * Every filter, order and page query of Appwrite 1.5.0 on documents, each test on a collection of its own.
 * The semantics are MariaDB's as utopia-php/database 0.48.4 (Adapter\MariaDB::getSQLCondition) builds them:
 * a comparison with NULL is never true, `isNull` finds the documents without a value, NULL sorts first in an
 * ascending order; the parse messages are Query::parse's, passed through by app/controllers/api/databases.php:576-578.
 */
describe('stateful fallback: each document query filters, orders and pages as Appwrite does', () => {
  const server = useTestServer();
  const json = jsonCall(server);
  let next = 0;

  /**
   * A collection with `n` (integer), `name` (string, fulltext index), `flag` (boolean), `words` (string array) and five
   * documents; `nothing` has no `n` and no `flag`.
   */
  async function collection(): Promise<string> {
    const db = `f-${next++}`;
    const base = `/databases/${db}/collections/c`;
    await json('POST', '/databases', { databaseId: db, name: db });
    await json('POST', `/databases/${db}/collections`, { collectionId: 'c', name: 'C' });
    await json('POST', `${base}/attributes/integer`, { key: 'n', required: false });
    await json('POST', `${base}/attributes/string`, { key: 'name', size: 40, required: false });
    await json('POST', `${base}/attributes/boolean`, { key: 'flag', required: false });
    await json('POST', `${base}/attributes/string`, { key: 'words', size: 10, required: false, array: true });
    expect((await json('POST', `${base}/indexes`, { key: 'by_name', type: 'fulltext', attributes: ['name'] })).status).toBe(202);
    const documents: [string, Record<string, unknown>][] = [
      ['apple', { n: 0, name: 'apple pie', flag: true, words: ['red', 'green'] }],
      ['banana', { n: 10, name: 'banana split', flag: false, words: ['yellow'] }],
      ['cherry', { n: 20, name: 'cherry tart', flag: true, words: ['red'] }],
      ['nothing', { name: 'orange juice', words: [] }],
      ['plum', { n: 30, name: 'plum jam', flag: false, words: ['purple'] }],
    ];
    for (const [documentId, data] of documents) expect((await json('POST', `${base}/documents`, { documentId, data })).status).toBe(201);
    return `${base}/documents`;
  }

  const list = async (path: string, ...queries: object[]) => json('GET', withQueries(path, queries));
  const ids = async (path: string, ...queries: object[]): Promise<string[]> => {
    const answer = await list(path, ...queries);
    expect(answer.status).toBe(200);
    return (answer.body.documents as { $id: string }[]).map((d) => d.$id);
  };
  const refusal = (message: string) => ({ status: 400, body: { message, code: 400, type: 'general_query_invalid', version: '1.5.0' } });

  it('compares with lessThan, lessThanEqual, greaterThan and greaterThanEqual at the boundary, never matching a missing value', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'lessThan', attribute: 'n', values: [10] })).toEqual(['apple']);
    expect(await ids(path, { method: 'lessThanEqual', attribute: 'n', values: [10] })).toEqual(['apple', 'banana']);
    expect(await ids(path, { method: 'greaterThan', attribute: 'n', values: [20] })).toEqual(['plum']);
    expect(await ids(path, { method: 'greaterThanEqual', attribute: 'n', values: [20] })).toEqual(['cherry', 'plum']);
    expect(await ids(path, { method: 'lessThan', attribute: 'name', values: ['banana'] })).toEqual(['apple']);
    // Numbers compare as numbers: 10, 20 and 30 are not less than 9, as their text would be.
    expect(await ids(path, { method: 'lessThan', attribute: 'n', values: [9] })).toEqual(['apple']);
    expect(await ids(path, { method: 'orderDesc', attribute: 'n' }, { method: 'greaterThan', attribute: 'n', values: [9] })).toEqual([
      'plum',
      'cherry',
      'banana',
    ]);
  });

  it('finds with notEqual every document whose value is another, and not the ones without a value', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'notEqual', attribute: 'n', values: [10] })).toEqual(['apple', 'cherry', 'plum']);
    expect(await ids(path, { method: 'equal', attribute: 'flag', values: [false] })).toEqual(['banana', 'plum']);
  });

  it('finds the documents without a value with isNull, and the others with isNotNull', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'isNull', attribute: 'n' })).toEqual(['nothing']);
    expect(await ids(path, { method: 'isNotNull', attribute: 'flag' })).toEqual(['apple', 'banana', 'cherry', 'plum']);
  });

  it('matches the start, the end and a part of a string with startsWith, endsWith and contains', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'startsWith', attribute: 'name', values: ['ban'] })).toEqual(['banana']);
    expect(await ids(path, { method: 'startsWith', attribute: 'name', values: ['pie'] })).toEqual([]);
    expect(await ids(path, { method: 'endsWith', attribute: 'name', values: ['tart'] })).toEqual(['cherry']);
    expect(await ids(path, { method: 'endsWith', attribute: 'name', values: ['cherry'] })).toEqual([]);
    expect(await ids(path, { method: 'contains', attribute: 'name', values: ['an'] })).toEqual(['banana', 'nothing']);
  });

  // Other filters on an array attribute are refused (Filter.php at 0.48.4; see the test of values below).
  it('matches an array attribute that holds any of the values of contains', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'contains', attribute: 'words', values: ['red'] })).toEqual(['apple', 'cherry']);
    expect(await ids(path, { method: 'contains', attribute: 'words', values: ['yellow', 'green'] })).toEqual(['apple', 'banana']);
    expect(await ids(path, { method: 'contains', attribute: 'words', values: ['re'] })).toEqual([]);
    expect(await ids(path, { method: 'contains', attribute: 'words', values: ['purple'] })).toEqual(['plum']);
  });

  it('searches whole words of a fulltext index, the last one also as a prefix, and refuses a search without that index', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'search', attribute: 'name', values: ['pie'] })).toEqual(['apple']);
    expect(await ids(path, { method: 'search', attribute: 'name', values: ['JAM ban'] })).toEqual(['banana', 'plum']);
    expect(await ids(path, { method: 'search', attribute: 'name', values: ['ie'] })).toEqual([]);
    expect(await ids(path, { method: 'search', attribute: 'name', values: ['  '] })).toEqual([]);
    expect(await list(path, { method: 'search', attribute: '$id', values: ['apple'] })).toEqual(
      refusal('Invalid query: Searching by attribute "$id" requires a fulltext index.'),
    );
  });

  it('combines filters with and and or, and refuses one with a single query or a query that is not a filter', async () => {
    const path = await collection();
    const inRange = [
      { method: 'greaterThan', attribute: 'n', values: [0] },
      { method: 'lessThan', attribute: 'n', values: [30] },
    ];
    expect(await ids(path, { method: 'and', values: inRange })).toEqual(['banana', 'cherry']);
    expect(
      await ids(path, {
        method: 'or',
        values: [
          { method: 'equal', attribute: 'n', values: [0] },
          { method: 'isNull', attribute: 'n' },
        ],
      }),
    ).toEqual(['apple', 'nothing']);
    expect(await list(path, { method: 'and', values: [inRange[0]] })).toEqual(refusal('Invalid query: And queries require at least two queries'));
    expect(await list(path, { method: 'or', values: [inRange[0]] })).toEqual(refusal('Invalid query: Or queries require at least two queries'));
    expect(await list(path, { method: 'or', values: [inRange[0], { method: 'limit', values: [1] }] })).toEqual(
      refusal('Invalid query: Or queries can only contain filter queries'),
    );
    expect(await list(path, { method: 'and', values: [inRange[0], { method: 'orderAsc', attribute: 'n' }] })).toEqual(
      refusal('Invalid query: And queries can only contain filter queries'),
    );
  });

  // utopia-php/database 0.48.4 Validator/Query/Filter.php isValid: the count first, then the attribute, then each value by its type.
  it('refuses a filter with the wrong number of values, naming how many, and an order by an unknown attribute', async () => {
    const path = await collection();
    expect(await list(path, { method: 'equal', attribute: 'n', values: [] })).toEqual(refusal('Invalid query: Equal queries require at least one value.'));
    expect(await list(path, { method: 'contains', attribute: 'words', values: [[]] })).toEqual(
      refusal('Invalid query: Contains queries require at least one value.'),
    );
    expect(await list(path, { method: 'between', attribute: 'n', values: [1] })).toEqual(refusal('Invalid query: Between queries require exactly two values.'));
    expect(await list(path, { method: 'lessThan', attribute: 'n', values: [1, 2] })).toEqual(
      refusal('Invalid query: LessThan queries require exactly one value.'),
    );
    expect(await list(path, { method: 'notEqual', attribute: 'zz', values: [] })).toEqual(
      refusal('Invalid query: NotEqual queries require exactly one value.'),
    );
    expect(await ids(path, { method: 'isNull', attribute: 'n', values: [] })).toEqual(['nothing']);
    expect(await list(path, { method: 'equal', attribute: 'n' })).toEqual(refusal('Invalid query: Equal queries require at least one value.'));
    expect(await list(path, { method: 'orderAsc', attribute: 'zz' })).toEqual(refusal('Invalid query: Attribute not found in schema: zz'));
  });

  // Filter.php isValidAttributeAndValues at 0.48.4; e2e DatabasesBase.php:2171 and 2246 at 1.5.0.
  it('refuses a value of the wrong type for its attribute, more than 100 values, and filters an array attribute does not take', async () => {
    const path = await collection();
    const invalid = (attribute: string) => refusal(`Invalid query: Query value is invalid for attribute "${attribute}"`);
    expect(await list(path, { method: 'equal', attribute: 'n', values: ['1'] })).toEqual(invalid('n'));
    expect(await list(path, { method: 'equal', attribute: 'n', values: [1.5] })).toEqual(invalid('n'));
    expect(await list(path, { method: 'equal', attribute: 'name', values: [5] })).toEqual(invalid('name'));
    expect(await list(path, { method: 'equal', attribute: 'flag', values: ['true'] })).toEqual(invalid('flag'));
    expect(await list(path, { method: 'greaterThan', attribute: '$createdAt', values: ['16/01/2024 12:00:00AM'] })).toEqual(invalid('$createdAt'));
    expect(await list(path, { method: 'equal', attribute: 'n', values: Array.from({ length: 101 }, (_, i) => i) })).toEqual(
      refusal('Invalid query: Query on attribute has greater than 100 values: n'),
    );
    expect(await ids(path, { method: 'equal', attribute: 'n', values: Array.from({ length: 100 }, (_, i) => i) })).not.toEqual([]);
    expect(await list(path, { method: 'contains', attribute: 'n', values: [1] })).toEqual(
      refusal('Invalid query: Cannot query contains on attribute "n" because it is not an array or string.'),
    );
    expect(await list(path, { method: 'search', attribute: 'words', values: ['red'] })).toEqual(
      refusal('Invalid query: Cannot query search on attribute "words" because it is an array.'),
    );
    expect(await list(path, { method: 'equal', attribute: 'words', values: ['red'] })).toEqual(
      refusal('Invalid query: Cannot query equal on attribute "words" because it is an array.'),
    );
    expect(await ids(path, { method: 'contains', attribute: 'words', values: ['red'] })).toContain('apple');
  });

  it('sorts a missing value first in ascending order and last in descending order, then by the next order', async () => {
    const path = await collection();
    expect(await ids(path, { method: 'orderAsc', attribute: 'n' })).toEqual(['nothing', 'apple', 'banana', 'cherry', 'plum']);
    expect(await ids(path, { method: 'orderDesc', attribute: 'n' })).toEqual(['plum', 'cherry', 'banana', 'apple', 'nothing']);
    expect(await ids(path, { method: 'orderDesc', attribute: 'flag' }, { method: 'orderDesc', attribute: 'n' })).toEqual([
      'cherry',
      'apple',
      'plum',
      'banana',
      'nothing',
    ]);
    expect(await ids(path, { method: 'orderAsc', attribute: 'name' })).toEqual(['apple', 'banana', 'cherry', 'nothing', 'plum']);
    // An order without an attribute is the internal sequence: creation order, reversed by orderDesc.
    expect(await ids(path, { method: 'orderDesc' })).toEqual(['plum', 'nothing', 'cherry', 'banana', 'apple']);
  });

  it('pages with offset and limit, and with cursorAfter plus an offset, counting every match in total', async () => {
    const path = await collection();
    const page = await list(path, { method: 'offset', values: [1] }, { method: 'limit', values: [2] });
    expect((page.body.documents as { $id: string }[]).map((d) => d.$id)).toEqual(['banana', 'cherry']);
    expect(page.body.total).toBe(5);
    expect(await ids(path, { method: 'cursorAfter', values: ['apple'] }, { method: 'offset', values: [1] }, { method: 'limit', values: [2] })).toEqual([
      'cherry',
      'nothing',
    ]);
    expect(await ids(path, { method: 'cursorBefore', values: ['plum'] }, { method: 'offset', values: [1] }, { method: 'limit', values: [2] })).toEqual([
      'banana',
      'cherry',
    ]);
    expect(await ids(path, { method: 'offset', values: [5] })).toEqual([]);
    // Limit and Offset validate with Numeric and Range, which take numeric text.
    expect(await ids(path, { method: 'limit', values: ['2'] }, { method: 'offset', values: [' 3'] })).toEqual(['nothing', 'plum']);
    expect(await list(path, { method: 'limit', values: ['2.5'] })).toEqual(
      refusal('Invalid query: Invalid limit: Value must be a valid range between 1 and 5,000'),
    );
    expect(await list(path, { method: 'offset', values: [-1] })).toEqual(
      refusal('Invalid query: Invalid offset: Value must be a valid range between 0 and 5,000'),
    );
    expect(await list(path, { method: 'limit', values: [1.5] })).toEqual(
      refusal('Invalid query: Invalid limit: Value must be a valid range between 1 and 5,000'),
    );
    expect(await list(path, { method: 'cursorAfter', values: [5] })).toEqual(refusal('Invalid query: Invalid cursor: Cursor must be a string'));
  });

  // After a select, a list leaves out `$databaseId` and `$collectionId` unless selected, `*` included
  // (app/controllers/api/databases.php:3100-3118 at 1.5.0, appwrite/appwrite#7648).
  it('keeps only the selected attributes, and everything but the collection and database IDs for *', async () => {
    const path = await collection();
    const db = path.split('/')[2];
    const selected = await list(path, { method: 'select', values: ['n'] }, { method: 'limit', values: [1] });
    expect(selected.body.documents).toEqual([{ n: 0 }]);
    const withIds = await list(path, { method: 'select', values: ['n', '$collectionId', '$databaseId'] }, { method: 'limit', values: [1] });
    expect(withIds.body.documents).toEqual([{ n: 0, $collectionId: 'c', $databaseId: db }]);
    const everything = await list(path, { method: 'select', values: ['*'] }, { method: 'limit', values: [1] });
    expect(everything.body.documents).toEqual([
      expect.objectContaining({
        $id: 'apple',
        n: 0,
        name: 'apple pie',
        flag: true,
        words: ['red', 'green'],
        $permissions: [],
      }),
    ]);
    const [first] = everything.body.documents as Record<string, unknown>[];
    expect(first).not.toHaveProperty('$collectionId');
    expect(first).not.toHaveProperty('$databaseId');
  });

  it('refuses a query that is not an object, or whose method, attribute or values have the wrong type, naming the PHP type', async () => {
    const path = await collection();
    const raw = async (text: string) => json('GET', `${path}?queries[]=${encodeURIComponent(text)}`);
    // utopia-php/database Query::parse; its tests/Database/QueryTest.php checks these messages.
    expect(await raw('false')).toEqual(refusal('Invalid query. Must be an array, got boolean'));
    expect(await raw('5')).toEqual(refusal('Invalid query. Must be an array, got integer'));
    expect(await raw('"equal"')).toEqual(refusal('Invalid query. Must be an array, got string'));
    expect(await raw('null')).toEqual(refusal('Invalid query. Must be an array, got NULL'));
    expect(await raw('{"method":["equal"],"attribute":"n","values":[1]}')).toEqual(refusal('Invalid query method. Must be a string, got array'));
    expect(await raw('{"method":1.5}')).toEqual(refusal('Invalid query method. Must be a string, got double'));
    expect(await raw('{"method":"equal","attribute":{"a":1},"values":[1]}')).toEqual(refusal('Invalid query attribute. Must be a string, got array'));
    expect(await raw('{"method":"equal","attribute":"n","values":"test"}')).toEqual(refusal('Invalid query values. Must be an array, got string'));
    expect(await raw('{"method":"equal","attribute":"n","values":7}')).toEqual(refusal('Invalid query values. Must be an array, got integer'));
  });
});
