import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Databases, ID, Permission, Query, RelationMutate, RelationshipType, Role, type Models } from 'node-appwrite-13';
import { startTestServer, type TestServer } from './support/server.js';
import { callers, failure, type Callers } from './support/callers.js';

// Each test follows tests/e2e/Services/Databases/DatabasesBase.php at 1.5.0 (lines named per test), with the
// schema made through a key and the documents through a signed-in user, as the e2e client tests do; what
// the e2e tests leave out (onDelete, links by ID) follows utopia-php/database 0.48.4's Database.php.
type Doc = Models.Document & Record<string, unknown>;

describe('stateful fallback: relationships between documents, as Appwrite 1.5 expands and keeps them', () => {
  let server: TestServer;
  let who: Callers;
  let key: Databases;
  let alice: Databases;
  beforeAll(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    await server.reset();
    who = await callers(server);
    key = new Databases(who.key);
    alice = new Databases(who.alice);
    await key.create('db', 'DB');
  });
  afterAll(() => server.stop());
  afterEach(() => {
    expect(server.summary().responseViolations).toBe(0);
  });

  const user = Role.user('alice');
  /** A collection alice may read, update, create in (and delete from, unless `noDelete`), with document security. */
  async function collection(id: string, attributes: [string, boolean][], noDelete = false): Promise<void> {
    const permissions = [Permission.read(user), Permission.update(user), Permission.create(user)];
    if (!noDelete) permissions.push(Permission.delete(user));
    await key.createCollection('db', id, id, permissions, true);
    for (const [name, required] of attributes) await key.createStringAttribute('db', id, name, 255, required);
  }
  const mine = [Permission.read(user), Permission.update(user), Permission.delete(user)];
  const anyone = [Permission.read(Role.any()), Permission.update(Role.any()), Permission.delete(Role.any())];
  const get = (collectionId: string, id: string, queries?: string[]) => alice.getDocument('db', collectionId, id, queries) as Promise<Doc>;

  /** The person and library collections of the one-to-one and one-to-many tests. */
  async function personAndLibrary(): Promise<void> {
    await collection('person', [['fullName', false]]);
    await collection('library', [['libraryName', true]], true);
  }

  it('expands a two-way one-to-one both ways, creates the related documents it is given, and drops the relationship with its attribute (DatabasesBase.php:3812-4050)', async () => {
    await personAndLibrary();
    const relation = await key.createRelationshipAttribute(
      'db',
      'person',
      'library',
      RelationshipType.OneToOne,
      true,
      'library',
      undefined,
      RelationMutate.Cascade,
    );
    expect(relation).toMatchObject({ key: 'library', type: 'relationship', status: 'processing', twoWayKey: 'person', side: 'parent' });
    const attributes = await key.listAttributes('db', 'person');
    expect(attributes.total).toBe(2);
    expect(attributes.attributes[1]).toMatchObject({
      relatedCollection: 'library',
      relationType: 'oneToOne',
      twoWay: true,
      twoWayKey: 'person',
      onDelete: 'cascade',
    });
    expect(await key.getAttribute('db', 'person', 'library')).toMatchObject({ status: 'available', required: false, array: false, relationType: 'oneToOne' });

    const person1 = (await alice.createDocument(
      'db',
      'person',
      ID.unique(),
      { library: { $id: 'library1', $permissions: [Permission.read(Role.any())], libraryName: 'Library 1' } },
      mine,
    )) as Doc;
    const library1 = person1.library as Doc;
    expect(library1.libraryName).toBe('Library 1');
    expect(library1.$permissions).toEqual([Permission.read(Role.any())]);
    // Without a nested ID, the related document gets a unique one.
    const person2 = (await alice.createDocument('db', 'person', ID.unique(), { library: { libraryName: 'Library 2' } }, mine)) as Doc;
    expect((person2.library as Doc).libraryName).toBe('Library 2');
    expect((person2.library as Doc).$id).toMatch(/^[0-9a-f]{20}$/);
    // Each document says where it is, nested ones too, and nothing internal.
    expect([person1.$databaseId, library1.$databaseId, person1.$collectionId, library1.$collectionId]).toEqual(['db', 'db', 'person', 'library']);
    for (const document of [person1, library1]) {
      expect(document).not.toHaveProperty('$collection');
      expect(document).not.toHaveProperty('$internalId');
    }
    // The related document links back, without going round again (utopia's populateDocumentRelationships).
    const fromLibrary = await get('library', 'library1');
    expect((fromLibrary.person as Doc).$id).toBe(person1.$id);
    expect(fromLibrary.person as Doc).not.toHaveProperty('library');

    const found = await alice.listDocuments('db', 'person', [Query.select(['fullName', 'library.*']), Query.equal('library', ['library1'])]);
    expect(found.total).toBe(1);
    expect((found.documents[0] as Doc).library).toMatchObject({ libraryName: 'Library 1' });
    expect(found.documents[0]).toHaveProperty('fullName', null);
    expect(await failure(alice.listDocuments('db', 'person', [Query.equal('library.libraryName', ['Library 1'])]))).toMatchObject({
      code: 400,
      type: 'general_query_invalid',
      message: 'Invalid query: Cannot query nested attribute on: library',
    });

    await key.deleteAttribute('db', 'person', 'library');
    expect(await failure(key.getAttribute('db', 'person', 'library'))).toMatchObject({ code: 404, type: 'attribute_not_found' });
    expect(await get('person', person1.$id)).not.toHaveProperty('library');
    const left = await key.listAttributes('db', 'library');
    expect(left.total).toBe(1);
    expect(left.attributes[0]).toMatchObject({ key: 'libraryName' });
    expect(await get('library', 'library1')).not.toHaveProperty('person');
  });

  /** person10 (Stevie Wonder) with libraries library10 and library11 through a two-way one-to-many. */
  async function stevie(): Promise<Doc> {
    await personAndLibrary();
    await key.createRelationshipAttribute('db', 'person', 'library', RelationshipType.OneToMany, true, 'libraries', 'person_one_to_many');
    const libraries = ['10', '11'].map((n) => ({ $id: `library${n}`, $permissions: anyone, libraryName: `Library ${n}` }));
    return (await alice.createDocument('db', 'person', 'person10', { fullName: 'Stevie Wonder', libraries }, anyone)) as Doc;
  }

  it('lists a one-to-many parent with its children and gives each child its parent (DatabasesBase.php:4054-4199)', async () => {
    const person10 = await stevie();
    const libraryAttributes = await key.listAttributes('db', 'library');
    expect(libraryAttributes.total).toBe(2);
    expect(libraryAttributes.attributes[1]).toMatchObject({ key: 'person_one_to_many', side: 'child', twoWayKey: 'libraries' });
    expect((await key.getCollection('db', 'library')).attributes).toHaveLength(2);
    expect(await key.getAttribute('db', 'person', 'libraries')).toMatchObject({
      relationType: 'oneToMany',
      twoWay: true,
      twoWayKey: 'person_one_to_many',
      onDelete: 'restrict',
    });
    expect((person10.libraries as Doc[]).map((library) => library.libraryName)).toEqual(['Library 10', 'Library 11']);
    const read = await get('person', 'person10');
    expect(read).not.toHaveProperty('$collection');
    expect((read.libraries as Doc[]).map((library) => library.$id)).toEqual(['library10', 'library11']);
    // A child listed under its parent leaves out its link back.
    expect((read.libraries as Doc[])[0]).not.toHaveProperty('person_one_to_many');
    const library11 = await get('library', 'library11');
    expect((library11.person_one_to_many as Doc).$id).toBe('person10');
    // Created with its link back in place, not written twice (utopia's relateDocuments).
    expect(library11.$updatedAt).toBe(library11.$createdAt);

    const updated = await key.updateRelationshipAttribute('db', 'person', 'libraries', RelationMutate.Cascade);
    expect(updated).toMatchObject({ key: 'libraries', onDelete: 'cascade', relationType: 'oneToMany' });
    expect(await key.getAttribute('db', 'person', 'libraries')).toMatchObject({ onDelete: 'cascade' });
    // Both sides keep the same onDelete (utopia's updateRelationship).
    expect(await key.getAttribute('db', 'library', 'person_one_to_many')).toMatchObject({ onDelete: 'cascade' });
  });

  it('expands a many-to-one with the permissions its related document took from it (DatabasesBase.php:4201-4343)', async () => {
    await collection('albums', [['name', true]]);
    await collection('artists', [['name', true]]);
    const relation = await key.createRelationshipAttribute('db', 'albums', 'artists', RelationshipType.ManyToOne, true, 'artist', 'albums');
    expect(relation).toMatchObject({
      key: 'artist',
      required: false,
      array: false,
      relationType: 'manyToOne',
      twoWay: true,
      twoWayKey: 'albums',
      onDelete: 'restrict',
    });
    const album = (await alice.createDocument('db', 'albums', 'album1', { name: 'Album 1', artist: { $id: ID.unique(), name: 'Artist 1' } }, mine)) as Doc;
    expect(album).toMatchObject({ $id: 'album1', name: 'Album 1', $permissions: mine });
    // A related document created without permissions takes its parent's (utopia's relateDocuments).
    expect(album.artist).toMatchObject({ name: 'Artist 1', $permissions: mine });
    const read = await get('albums', 'album1');
    expect(read.artist).toMatchObject({ name: 'Artist 1', $permissions: mine });
    const artist = await get('artists', (read.artist as Doc).$id);
    expect(artist).toMatchObject({ name: 'Artist 1', $permissions: mine });
    expect(artist.albums).toHaveLength(1);
    expect((artist.albums as Doc[])[0]).toMatchObject({ $id: 'album1', name: 'Album 1', $permissions: mine });
  });

  it('expands a many-to-many both ways, in the order the links were made (DatabasesBase.php:4345-4498)', async () => {
    await collection('sports', [['name', true]]);
    await collection('players', [['name', true]]);
    const relation = await key.createRelationshipAttribute(
      'db',
      'sports',
      'players',
      RelationshipType.ManyToMany,
      true,
      'players',
      'sports',
      RelationMutate.SetNull,
    );
    expect(relation).toMatchObject({ key: 'players', relationType: 'manyToMany', twoWay: true, twoWayKey: 'sports', onDelete: 'setNull' });
    const permissions = [Permission.read(user), Permission.update(user)];
    const players = [
      { $id: 'player1', name: 'Player 1' },
      { $id: 'player2', name: 'Player 2' },
    ];
    const sport = (await alice.createDocument('db', 'sports', 'sport1', { name: 'Sport 1', players }, permissions)) as Doc;
    for (const answer of [sport, await get('sports', 'sport1')]) {
      expect(answer).toMatchObject({ $id: 'sport1', name: 'Sport 1', $permissions: permissions });
      expect((answer.players as Doc[]).map((player) => [player.name, player.$permissions])).toEqual([
        ['Player 1', permissions],
        ['Player 2', permissions],
      ]);
    }
    const player = await get('players', 'player1');
    expect(player).toMatchObject({ name: 'Player 1', $permissions: permissions });
    expect((player.sports as Doc[]).map((s) => [s.$id, s.name])).toEqual([['sport1', 'Sport 1']]);
  });

  /** stevie, and two people without a name. */
  async function people(): Promise<void> {
    await stevie();
    for (const id of ['nameless1', 'nameless2']) await alice.createDocument('db', 'person', id, { fullName: null }, anyone);
  }

  it('filters, selects and expands in one list, and leaves out what a select does not name (DatabasesBase.php:4500-4540)', async () => {
    await people();
    const found = await alice.listDocuments('db', 'person', [
      Query.isNotNull('$id'),
      Query.startsWith('fullName', 'Stevie'),
      Query.endsWith('fullName', 'Wonder'),
      Query.between('$createdAt', '1975-12-06', '2050-12-0'),
    ]);
    expect(found.documents.map((d) => [d.$id, (d as Doc).fullName, ((d as Doc).libraries as Doc[]).length])).toEqual([['person10', 'Stevie Wonder', 2]]);
    const nameless = await alice.listDocuments('db', 'person', [Query.isNotNull('$id'), Query.isNull('fullName'), Query.select(['fullName'])]);
    expect(nameless.documents).toEqual([{ fullName: null }, { fullName: null }]);
  });

  it('expands a relationship a select names with `.*`, and nothing else (DatabasesBase.php:4542-4591)', async () => {
    await people();
    const named = await alice.listDocuments('db', 'person', [Query.equal('fullName', ['Stevie Wonder']), Query.select(['fullName'])]);
    expect(named.documents).toEqual([{ fullName: 'Stevie Wonder' }]);
    const expanded = await alice.listDocuments('db', 'person', [Query.select(['libraries.*', '$id'])]);
    const first = expanded.documents[0] as Doc;
    expect(first.$id).toBe('person10');
    expect((first.libraries as Doc[]).map((library) => library.libraryName)).toEqual(['Library 10', 'Library 11']);
    expect(first).not.toHaveProperty('$databaseId');
    expect(first).not.toHaveProperty('$collectionId');
    const one = await get('person', 'person10', [Query.select(['fullName', '$id'])]);
    expect(one).toEqual({ $id: 'person10', fullName: 'Stevie Wonder', $databaseId: 'db', $collectionId: 'person' });
  });

  it('updates a document with children without touching them (DatabasesBase.php:4593-4689)', async () => {
    await collection('collection1', [['name', true]]);
    await collection('collection2', [['name', true]]);
    await key.createRelationshipAttribute('db', 'collection1', 'collection2', RelationshipType.OneToMany, true, 'collection2');
    const document = (await alice.createDocument('db', 'collection1', ID.unique(), { name: 'Document 1', collection2: [{ name: 'Document 2' }] })) as Doc;
    const update = (await alice.updateDocument('db', 'collection1', document.$id, { name: 'Document 1 Updated' })) as Doc;
    expect(update.name).toBe('Document 1 Updated');
    expect((update.collection2 as Doc[]).map((child) => child.name)).toEqual(['Document 2']);
    expect(((await get('collection2', (update.collection2 as Doc[])[0]!.$id)).collection1 as Doc).$id).toBe(document.$id);
  });

  it('links documents by ID, and an update with a new list unlinks the children left out (Database.php updateDocumentRelationships at 0.48.4)', async () => {
    await stevie();
    await alice.createDocument('db', 'library', 'library12', { libraryName: 'Library 12' }, anyone);
    const relinked = (await alice.updateDocument('db', 'person', 'person10', { libraries: ['library11', 'library12', 'missing'] })) as Doc;
    expect((relinked.libraries as Doc[]).map((library) => library.$id)).toEqual(['library11', 'library12']);
    expect(await get('library', 'library10')).toMatchObject({ person_one_to_many: null });
    expect(((await get('library', 'library12')).person_one_to_many as Doc).$id).toBe('person10');
    // From the child's side, an ID moves the child to another parent.
    await alice.createDocument('db', 'person', 'person11', { fullName: 'Ray Charles' }, anyone);
    await alice.updateDocument('db', 'library', 'library12', { person_one_to_many: 'person11' });
    expect(((await get('person', 'person10')).libraries as Doc[]).map((library) => library.$id)).toEqual(['library11']);
    expect(((await get('person', 'person11')).libraries as Doc[]).map((library) => library.$id)).toEqual(['library12']);
  });

  it('refuses to delete a parent while `restrict` holds children, and lets a child go (Database.php deleteRestrict at 0.48.4)', async () => {
    await stevie();
    expect(await failure(alice.deleteDocument('db', 'person', 'person10'))).toMatchObject({
      code: 403,
      type: 'document_delete_restricted',
      message: 'Document cannot be deleted because it is referenced by another document.',
    });
    await alice.deleteDocument('db', 'library', 'library10');
    expect(((await get('person', 'person10')).libraries as Doc[]).map((library) => library.$id)).toEqual(['library11']);
  });

  it('deletes the children with their parent under `cascade` (Database.php deleteCascade at 0.48.4)', async () => {
    await stevie();
    await key.updateRelationshipAttribute('db', 'person', 'libraries', RelationMutate.Cascade);
    await alice.deleteDocument('db', 'person', 'person10');
    for (const id of ['library10', 'library11']) expect(await failure(get('library', id))).toMatchObject({ code: 404, type: 'document_not_found' });
  });

  it('unlinks the documents that pointed at a deleted one under `setNull` (Database.php deleteSetNull at 0.48.4)', async () => {
    await collection('albums', [['name', true]]);
    await collection('artists', [['name', true]]);
    await key.createRelationshipAttribute('db', 'albums', 'artists', RelationshipType.ManyToOne, true, 'artist', 'albums', RelationMutate.SetNull);
    await alice.createDocument('db', 'artists', 'artist1', { name: 'Artist 1' }, mine);
    for (const id of ['album1', 'album2']) await alice.createDocument('db', 'albums', id, { name: id, artist: 'artist1' }, mine);
    expect(((await get('artists', 'artist1')).albums as Doc[]).map((album) => album.$id)).toEqual(['album1', 'album2']);
    await alice.deleteDocument('db', 'artists', 'artist1');
    for (const id of ['album1', 'album2']) expect(await get('albums', id)).toMatchObject({ artist: null });
  });

  it('leaves out a related document the caller may not read (app/controllers/api/databases.php processDocument at 1.5.0)', async () => {
    await stevie();
    // Only the documents grant read now: library11 to bob alone.
    await key.updateCollection('db', 'library', 'library', [Permission.create(user)], true);
    await key.updateDocument('db', 'library', 'library11', {}, [Permission.read(Role.user('bob'))]);
    expect(((await get('person', 'person10')).libraries as Doc[]).map((library) => library.$id)).toEqual(['library10']);
    // The key reads everything.
    expect((((await key.getDocument('db', 'person', 'person10')) as Doc).libraries as Doc[]).map((library) => library.$id)).toEqual(['library10', 'library11']);
  });
});
