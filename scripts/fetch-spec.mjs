#!/usr/bin/env node
// Puts the pinned Appwrite 1.5.0 server spec into spec/vendor/ (ignored by git), in a clone: `npm ci` runs
// it (prepare). The published package ships the spec, so an install from the registry never runs this.
// APPWRITE_VCR_SPEC_DIR changes the target folder.
// Source, in order: APPWRITE_VCR_SHARED_DIR (or else ../shared/appwrite next to the project), the pinned public URL.
// Whatever the source, the sha256 must match spec/pin.json.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pin = JSON.parse(readFileSync(join(root, 'spec', 'pin.json'), 'utf8'));
const vendor = process.env.APPWRITE_VCR_SPEC_DIR ? resolve(process.env.APPWRITE_VCR_SPEC_DIR) : join(root, 'spec', 'vendor');
const target = join(vendor, pin.file);

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function fail(message) {
  process.stderr.write(`appwrite-vcr: ${message}\n`);
  process.exit(1);
}

function sharedCandidates() {
  if (process.env.APPWRITE_VCR_SHARED_DIR) return [resolve(process.env.APPWRITE_VCR_SHARED_DIR)];
  return [resolve(root, '..', 'shared', 'appwrite')];
}

async function obtain() {
  for (const dir of sharedCandidates()) {
    const file = join(dir, 'specs', pin.file);
    if (existsSync(file)) return { bytes: readFileSync(file), from: file, dir };
  }
  if (process.env.APPWRITE_VCR_OFFLINE === '1') {
    fail(
      `no local copy of ${pin.file} and APPWRITE_VCR_OFFLINE=1. Set APPWRITE_VCR_SHARED_DIR to a folder holding specs/${pin.file}, or allow the download of ${pin.url}.`,
    );
  }
  let res;
  try {
    res = await fetch(pin.url, { signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    fail(
      `could not download ${pin.url}: ${err.message}. Download it by hand into ${target}, or set APPWRITE_VCR_SHARED_DIR to a folder holding specs/${pin.file}.`,
    );
  }
  if (!res.ok) fail(`could not download ${pin.url}: HTTP ${res.status}. Download it by hand into ${target}.`);
  return { bytes: Buffer.from(await res.arrayBuffer()), from: pin.url, dir: undefined };
}

function writeAtomic(file, bytes) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

if (existsSync(target) && sha256(readFileSync(target)) === pin.sha256) {
  process.exit(0);
}
const { bytes, from, dir } = await obtain();
const actual = sha256(bytes);
if (actual !== pin.sha256) {
  fail(
    `${from} has sha256 ${actual}, but spec/pin.json pins ${pin.sha256}. The file is not the pinned Appwrite ${pin.version} spec: replace it with the one at ${pin.url}.`,
  );
}
mkdirSync(vendor, { recursive: true });
writeAtomic(target, bytes);
// The error table is only used by the test that checks the built-in error types against Appwrite's.
if (dir && pin.errors && existsSync(join(dir, pin.errors.file))) {
  const table = readFileSync(join(dir, pin.errors.file));
  if (sha256(table) === pin.errors.sha256) writeAtomic(join(vendor, pin.errors.file), table);
}
process.stdout.write(`appwrite-vcr: Appwrite ${pin.version} spec ready in spec/vendor (from ${from})\n`);
