import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './spec-files.js';

/** The newest modification time of the sources the package is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(REPO_ROOT, 'dist', 'index.js')).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Vitest global setup: the CLI and child-process tests run the built `dist/`, so it is rebuilt first when
 * a source is newer than it. `npx vitest run test/x.test.ts` then never tests yesterday's build.
 */
export default function setup(): void {
  if (newestSource(join(REPO_ROOT, 'src')) <= builtAt()) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
