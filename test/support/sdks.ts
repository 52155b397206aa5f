/** The two official Node SDK releases made for Appwrite 1.5.x, loaded by name; they differ on the wire. */
export type Sdk = any;

export const SDKS: [string, () => Promise<Sdk>][] = [
  ['node-appwrite 13.0.0', async () => ({ ...(await import('node-appwrite-13')), InputFile: (await import('node-appwrite-13/file')).InputFile })],
  [
    'node-appwrite 12.0.1',
    async () => {
      const specifier = 'node-appwrite-12'; // its typings declare "node-appwrite", not a module of this name
      const mod = (await import(specifier)) as { default?: Sdk };
      return mod.default ?? mod;
    },
  ],
];

/** What an SDK call threw: Appwrite's status, type and message. */
export async function refusal(call: Promise<unknown>): Promise<{ code: number; type: string; message: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as { code: number; type: string; message: string };
    return { code: e.code, type: e.type, message: e.message };
  }
  throw new Error('the call succeeded where a refusal was expected');
}
