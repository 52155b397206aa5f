import { describe, expect, it } from 'vitest';
import { jsonCall, useTestServer } from './support/json-call.js';

/**
 * A document against its collection's attributes, each test on a collection of its own: utopia-php/database
 * 0.48.4's Structure validator as Appwrite 1.5.0 runs it (required first, then unknown keys, then each value),
 * with the messages of tests/e2e/Services/Databases/DatabasesBase.php at 1.5.0.
 */
describe('stateful fallback: document structure for each attribute type', () => {
  const server = useTestServer();
  const json = jsonCall(server);
  let next = 0;

  /** A collection with the given attributes (`[type, body]`), and a function that creates a document in it. */
  async function collection(
    attributes: [string, Record<string, unknown>][],
  ): Promise<(data: Record<string, unknown>) => Promise<{ status: number; body: Record<string, unknown> }>> {
    const db = `s-${next++}`;
    await json('POST', '/databases', { databaseId: db, name: db });
    await json('POST', `/databases/${db}/collections`, { collectionId: 'c', name: 'C' });
    for (const [type, body] of attributes) expect((await json('POST', `/databases/${db}/collections/c/attributes/${type}`, body)).status).toBe(202);
    let id = 0;
    return (data) => json('POST', `/databases/${db}/collections/c/documents`, { documentId: `d${id++}`, data });
  }
  const invalid = (message: string) => ({
    status: 400,
    body: { message: `Invalid document structure: ${message}`, code: 400, type: 'document_invalid_structure', version: '1.5.0' },
  });

  it("takes a float or an integer for a double, within its min and max, and refuses text, rounding the bounds as PHP's number_format does", async () => {
    const create = await collection([['float', { key: 'x', required: false, min: -1.5, max: 2.5 }]]);
    expect((await create({ x: 2.5 })).status).toBe(201);
    expect((await create({ x: -1.5 })).status).toBe(201);
    expect((await create({ x: 1 })).status).toBe(201);
    expect(await create({ x: 2.6 })).toEqual(invalid('Attribute "x" has invalid format. Value must be a valid range between -2 and 3'));
    expect(await create({ x: 'one' })).toEqual(invalid('Attribute "x" has invalid format. Value must be a valid float'));
  });

  it("takes a date for a datetime and stores it in Appwrite's format, and refuses what is no date", async () => {
    const create = await collection([
      ['datetime', { key: 'when', required: false }],
      ['datetime', { key: 'days', required: false, array: true }],
    ]);
    const made = await create({ when: '2024-05-01T10:00:00Z', days: ['2024-01-02T03:04:05.678Z'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ when: '2024-05-01T10:00:00.000+00:00', days: ['2024-01-02T03:04:05.678+00:00'] });
    expect(await create({ when: 'yesterday-ish' })).toEqual(invalid('Attribute "when" has invalid type. Value must be valid date.'));
    expect(await create({ when: 5 })).toEqual(invalid('Attribute "when" has invalid type. Value must be valid date.'));
    expect((await create({ when: null })).body).toMatchObject({ when: null });
  });

  it('checks the format of email, ip, url and enum strings', async () => {
    const create = await collection([
      ['email', { key: 'mail', required: false }],
      ['ip', { key: 'ip', required: false }],
      ['url', { key: 'site', required: false }],
      ['enum', { key: 'size', elements: ['s', 'm'], required: false }],
    ]);
    expect((await create({ mail: 'a@b.co', ip: '10.0.0.1', site: 'https://example.com/x', size: 'm' })).status).toBe(201);
    expect((await create({ ip: '::1' })).status).toBe(201);
    expect(await create({ mail: 'x a@b.co' })).toEqual(invalid('Attribute "mail" has invalid format. Value must be a valid email address'));
    expect(await create({ mail: 'a@b.co x' })).toEqual(invalid('Attribute "mail" has invalid format. Value must be a valid email address'));
    expect(await create({ ip: '10.0.0.256' })).toEqual(invalid('Attribute "ip" has invalid format. Value must be a valid IP address'));
    expect(await create({ site: 'example.com' })).toEqual(invalid('Attribute "site" has invalid format. Value must be a valid URL'));
    expect(await create({ site: 'https://' })).toEqual(invalid('Attribute "site" has invalid format. Value must be a valid URL'));
    // PHP's FILTER_VALIDATE_URL takes mailto:, news: and file: URLs without a host (ext/filter/logical_filters.c).
    expect((await create({ site: 'mailto:a@b.co' })).status).toBe(201);
    expect(await create({ size: 'l' })).toEqual(invalid('Attribute "size" has invalid format. Value must be one of (s, m)'));
  });

  it('refuses a required attribute that is missing or null before any unknown key, and takes null for an optional one', async () => {
    const create = await collection([
      ['string', { key: 'name', size: 10, required: true }],
      ['integer', { key: 'n', required: false }],
    ]);
    expect(await create({ name: null })).toEqual(invalid('Missing required attribute "name"'));
    expect(await create({ extra: 1 })).toEqual(invalid('Missing required attribute "name"'));
    expect(await create({ name: 'a', extra: 1 })).toEqual(invalid('Unknown attribute: "extra"'));
    expect(await create({ name: 'a', n: 'x' })).toEqual(invalid('Attribute "n" has invalid format. Value must be a valid integer'));
    expect(await create({ name: 5 })).toEqual(invalid('Attribute "name" has invalid type. Value must be a valid string and no longer than 10 chars'));
    expect((await create({ name: 'a', n: null })).status).toBe(201);
    expect((await create({ name: 'a', $id: 'ignored', $permissions: [] })).status).toBe(201);
  });

  it('takes an empty list and null items for an optional array, refuses them for a required one, and names the bad item', async () => {
    const create = await collection([
      ['string', { key: 'tags', size: 3, required: false, array: true }],
      ['integer', { key: 'ns', required: true, array: true }],
    ]);
    expect((await create({ tags: [], ns: [1] })).status).toBe(201);
    expect((await create({ tags: ['a', null], ns: [1] })).status).toBe(201);
    expect(await create({ tags: ['a'], ns: [1, null] })).toEqual(invalid(`Attribute "ns['1']" has invalid format. Value must be a valid integer`));
    expect(await create({ tags: ['abcd'], ns: [1] })).toEqual(
      invalid(`Attribute "tags['0']" has invalid type. Value must be a valid string and no longer than 3 chars`),
    );
    expect(await create({ tags: 'a', ns: [1] })).toEqual(invalid('Attribute "tags" must be an array'));
  });

  it("counts characters, not bytes, against a string's size", async () => {
    const create = await collection([['string', { key: 's', size: 3, required: false }]]);
    expect((await create({ s: 'äöü' })).status).toBe(201);
    expect(await create({ s: 'äöüß' })).toEqual(invalid('Attribute "s" has invalid type. Value must be a valid string and no longer than 3 chars'));
  });
});
