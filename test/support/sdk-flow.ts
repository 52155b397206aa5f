import { Account, Client, Databases, ID, Query, Storage, Users } from 'node-appwrite-13';
import { InputFile } from 'node-appwrite-13/file';
import * as sdk12 from 'node-appwrite-12';

/** Over 5 MiB, so the SDK uploads it in `Content-Range` chunks. */
export const FILE_SIZE = 6_000_000;

/** The same bytes on every run: a file a test uploads and expects back byte for byte. */
export function testFile(size = FILE_SIZE): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 0x2545f491;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

export interface FlowResult {
  /** Every `ID.unique()` the flow made, in order. */
  ids: string[];
  /** What each SDK call returned, by step name; the download as base64. */
  results: Record<string, unknown>;
}

/**
 * A realistic server-side flow with node-appwrite 13 (Appwrite 1.5), every resource made with `ID.unique()`:
 * a database, a collection, attributes, documents, a query, a user with a session, and a file over 5 MiB.
 */
export async function runFlow(endpoint: string, apiKey: string, password: string): Promise<FlowResult> {
  const ids: string[] = [];
  const unique = (): string => {
    const id = ID.unique();
    ids.push(id);
    return id;
  };
  const client = new Client().setEndpoint(endpoint).setProject('vcr-test').setKey(apiKey);
  const databases = new Databases(client);
  const users = new Users(client);
  const storage = new Storage(client);
  const results: Record<string, unknown> = {};

  const database = await databases.create(unique(), 'Library');
  results.database = database;
  const collection = await databases.createCollection(database.$id, unique(), 'Books');
  results.collection = collection;
  results.title = await databases.createStringAttribute(database.$id, collection.$id, 'title', 128, true);
  results.year = await databases.createIntegerAttribute(database.$id, collection.$id, 'year', false);
  for (const [title, year] of [
    ['Dune', 1965],
    ['Emma', 1815],
    ['Dune', 1984],
  ] as const) {
    results[`document ${title} ${year}`] = await databases.createDocument(database.$id, collection.$id, unique(), { title, year });
  }
  results.list = await databases.listDocuments(database.$id, collection.$id, [Query.equal('title', 'Dune'), Query.orderDesc('year')]);

  const user = await users.create(unique(), 'ada@example.com', undefined, password, 'Ada');
  results.user = user;
  const session = await users.createSession(user.$id);
  results.session = session;
  const asUser = new Client().setEndpoint(endpoint).setProject('vcr-test').setSession(session.secret);
  results.account = await new Account(asUser).get();

  const bucket = await storage.createBucket(unique(), 'Uploads');
  results.bucket = bucket;
  const file = await storage.createFile(bucket.$id, unique(), InputFile.fromBuffer(testFile(), 'big.bin'));
  results.file = file;
  const download = await storage.getFileDownload(bucket.$id, file.$id);
  results.download = Buffer.from(download).toString('base64');
  return { ids, results };
}

/**
 * The upload part of the flow with node-appwrite 12.0.1, which first asks for the file (expecting 404 for a new one),
 * lower-cases its headers and sends `permissions[0]`.
 */
export async function runUploadFlow12(endpoint: string, apiKey: string): Promise<FlowResult> {
  const ids: string[] = [];
  const unique = (): string => {
    const id = sdk12.ID.unique();
    ids.push(id);
    return id;
  };
  const client = new sdk12.Client().setEndpoint(endpoint).setProject('vcr-test').setKey(apiKey);
  const storage = new sdk12.Storage(client);
  const results: Record<string, unknown> = {};
  results.bucket = await storage.createBucket(unique(), 'Uploads 12');
  const bucketId = (results.bucket as { $id: string }).$id;
  results.file = await storage.createFile(bucketId, unique(), sdk12.InputFile.fromBuffer(testFile(), 'big12.bin'), ['read("any")']);
  const download = await storage.getFileDownload(bucketId, (results.file as { $id: string }).$id);
  results.download = Buffer.from(download).toString('base64');
  return { ids, results };
}
