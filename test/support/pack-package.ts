import { cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runNpm, type Finished } from './npm.js';
import { REPO_ROOT } from './spec-files.js';

/** What `npm pack` needs to build the package: its sources, never the dist/ the rest of the suite is using. */
const SOURCES = ['package.json', 'README.md', 'LICENSE', 'bin', 'scripts', 'spec', 'src', 'tsconfig.json'];

export interface Packed {
  /** The tarball's path; null when packing failed. */
  tarball: string | null;
  /** The files in the tarball, relative to its `package/` folder, sorted. */
  files: string[];
  /** Bytes of the tarball, and of its files unpacked. */
  size: number;
  unpackedSize: number;
  run: Finished;
}

/**
 * Packs the package the way `npm pack` or `npm publish` does, prepack and prepare included, from a copy of
 * the repository in `dir` (its node_modules linked): building in place would rewrite the dist/ that other
 * tests run at the same time. `change` may alter the copy first.
 */
export async function packPackage(dir: string, change?: (root: string) => Promise<void>): Promise<Packed> {
  const root = join(dir, 'appwrite-vcr');
  await mkdir(root, { recursive: true });
  for (const name of SOURCES) await cp(join(REPO_ROOT, name), join(root, name), { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  await change?.(root);
  const run = await runNpm(['pack', '--json', '--pack-destination', dir], root);
  if (run.code !== 0) return { tarball: null, files: [], size: 0, unpackedSize: 0, run };
  // Lifecycle scripts print before npm's JSON.
  const [result] = JSON.parse(run.stdout.slice(run.stdout.search(/^\[/m))) as {
    filename: string;
    files: { path: string }[];
    size: number;
    unpackedSize: number;
  }[];
  if (!result) throw new Error(`npm pack printed no result: ${run.stdout}`);
  return { tarball: join(dir, result.filename), files: result.files.map((f) => f.path).sort(), size: result.size, unpackedSize: result.unpackedSize, run };
}
