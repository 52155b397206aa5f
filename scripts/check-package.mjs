#!/usr/bin/env node
// Runs before `npm pack` and `npm publish` (prepack): the package must carry the pinned Appwrite spec,
// byte for byte, with Appwrite's licence beside it, and be built from nothing but the current sources.
// `prepare` builds right after this step, into the emptied dist/.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pin = JSON.parse(readFileSync(join(root, 'spec', 'pin.json'), 'utf8'));

function fail(message) {
  process.stderr.write(`appwrite-vcr: cannot pack: ${message}\n`);
  process.exit(1);
}

const spec = join(root, 'spec', 'vendor', pin.file);
if (!existsSync(spec)) fail(`spec/vendor/${pin.file} is missing. Run \`npm run spec\` first.`);
const actual = createHash('sha256').update(readFileSync(spec)).digest('hex');
if (actual !== pin.sha256) {
  fail(`spec/vendor/${pin.file} has sha256 ${actual}, but spec/pin.json pins ${pin.sha256}. Delete it and run \`npm run spec\`.`);
}
for (const notice of ['LICENSE', join('spec', 'vendor', 'APPWRITE-LICENSE')]) {
  if (!existsSync(join(root, notice))) fail(`${notice} is missing: the package must carry it.`);
}
// The version a cassette records as its creator must be the one the package says it is.
const source = readFileSync(join(root, 'src', 'version.ts'), 'utf8');
const version = /export const VERSION = '([^']+)'/.exec(source)?.[1];
if (version !== pkg.version) fail(`src/version.ts says ${version ?? 'nothing'}, package.json says ${pkg.version}: make them agree.`);

// Files of sources that no longer exist would otherwise be packed with the rest.
rmSync(join(root, 'dist'), { recursive: true, force: true });
process.stdout.write(`appwrite-vcr: packing ${pkg.version} with the Appwrite ${pin.version} spec (sha256 ${pin.sha256.slice(0, 12)}, verified)\n`);
