// Runs each test of the named files alone (`vitest run FILE -t "^FULL NAME$"`) and lists those that fail alone:
// a test that leans on what an earlier test of its file left behind passes in the file and fails here.
//   node scripts/tests-alone.mjs test/lint-drift.test.ts test/verify.test.ts
// Not part of `npm test`: one vitest start per test, a few seconds each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VITEST = join('node_modules', 'vitest', 'vitest.mjs');
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/tests-alone.mjs TEST_FILE...');
  process.exit(2);
}

/** Full test names of a file, describe blocks and test joined by " > " as vitest writes them. */
function testsOf(file) {
  const listed = spawnSync(process.execPath, [VITEST, 'list', file, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`vitest list ${file} failed:\n${listed.stderr}`);
  return JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))).map((test) => test.name);
}

const escapeRegExp = (text) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs one test alone; its outcome as vitest's JSON reporter gives it (`passed`, `failed`, or `not run`). */
function runAlone(file, name, out) {
  // vitest matches -t against the names joined by spaces.
  const pattern = `^${escapeRegExp(name.split(' > ').join(' '))}$`;
  const outputFile = join(out, 'result.json');
  spawnSync(process.execPath, [VITEST, 'run', file, '-t', pattern, '--reporter=json', `--outputFile=${outputFile}`], { encoding: 'utf8', stdio: 'pipe' });
  let result;
  try {
    result = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    return { status: 'failed', messages: ['no JSON result: the run itself failed'] };
  } finally {
    rmSync(outputFile, { force: true });
  }
  const ran = result.testResults.flatMap((f) => f.assertionResults).filter((a) => a.status === 'passed' || a.status === 'failed');
  if (ran.length !== 1) return { status: 'not run', messages: [`${ran.length} tests ran for the pattern`] };
  const fileFailure = result.testResults.map((f) => f.message).filter((m) => m);
  return { status: ran[0].status, messages: [...ran[0].failureMessages, ...fileFailure] };
}

const out = mkdtempSync(join(tmpdir(), 'vcr-tests-alone-'));
const started = Date.now();
const failures = [];
let count = 0;
try {
  for (const file of files) {
    for (const name of testsOf(file)) {
      count += 1;
      const { status, messages } = runAlone(file, name, out);
      console.log(`${status === 'passed' ? 'ok  ' : 'FAIL'} ${file} > ${name}${status === 'passed' ? '' : ` (${status})`}`);
      if (status !== 'passed') failures.push({ file, name, status, message: messages.join('\n').split('\n').slice(0, 3).join('\n') });
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
console.log(`\n${count} tests of ${files.length} files run alone in ${Math.round((Date.now() - started) / 1000)} s; ${failures.length} failed alone.`);
for (const f of failures) console.log(`\n${f.file} > ${f.name} (${f.status})\n  ${f.message.replaceAll('\n', '\n  ')}`);
process.exit(failures.length > 0 ? 1 : 0);
