// Runs Stryker (stryker.config.mjs) one module group at a time, each against the test files that exercise it.
//   npm run mutation                     every group, one after the other
//   npm run mutation -- query lint       the named groups
//   npm run mutation -- src/match/id-map.ts   one file, with the tests of the group it belongs to
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Module groups of the core and the in-process test files that exercise each. */
const GROUPS = {
  query: {
    mutate: ['src/state/query.ts'],
    tests: [
      'test/state-query-boundaries.test.ts',
      'test/state-query-filters.test.ts',
      'test/state-databases.test.ts',
      'test/state-users-teams.test.ts',
      'test/sdk-replay.test.ts',
      // The hooks a collection's declared indexes use (candidates, sorted) and the bounded ordering.
      'src/state/collection-index.test.ts',
    ],
  },
  'document-structure': {
    mutate: ['src/state/document-structure.ts'],
    tests: ['test/state-query-boundaries.test.ts', 'test/state-document-structure.test.ts', 'test/state-databases.test.ts', 'test/sdk-replay.test.ts'],
  },
  validate: {
    mutate: ['src/validate/*.ts', '!src/validate/*.test.ts'],
    tests: [
      'src/validate/utopia-messages.test.ts',
      'src/validate/coerce.test.ts',
      'src/validate/email-address.test.ts',
      'test/input-validators.test.ts',
      'test/request-parameters.test.ts',
      'test/request-validation.test.ts',
      'test/appwrite-validator-routes.test.ts',
      'test/lint-request-contract.test.ts',
      'test/lint-response-edges.test.ts',
      'test/known-deviations.test.ts',
      'test/bad-input.test.ts',
      'test/replay-basics.test.ts',
      'test/client-auth.test.ts',
      'test/client-mfa.test.ts',
      'test/lint-response-contract.test.ts',
    ],
  },
  match: {
    mutate: ['src/match/*.ts', '!src/match/*.test.ts'],
    // A mutant that stalls a request is a timeout; 10 s beyond the tests' own time (1.5 times it) is ample for these.
    timeoutMS: 10_000,
    tests: [
      'src/match/request-identity.test.ts',
      'src/match/first-differences.test.ts',
      'src/match/match-ignore.test.ts',
      'src/match/parse-multipart.test.ts',
      'src/match/placeholder-shape.test.ts',
      'test/match-and-redact-edges.test.ts',
      'test/cassette-replay.test.ts',
      'test/cassette-miss.test.ts',
      'test/record-id-map.test.ts',
      'test/cassette-links.test.ts',
      'test/replay-reset.test.ts',
      'test/cassette-memory.test.ts',
    ],
  },
  lint: {
    mutate: ['src/lint/*.ts', '!src/lint/*.test.ts'],
    // In-process files of small cassettes written by hand. lint-drift (recorded flows linted against four specs) and
    // malformed-cassettes (servers) cost seconds per mutant and reach no lint code these do not; lint-reports opens
    // its HTML report in Chromium, and lint-renderers and lint-render-html check every format in-process.
    tests: [
      'src/lint/describe-places.test.ts',
      'src/lint/escape-xml.test.ts',
      'src/lint/fail-on.test.ts',
      'src/lint/finding-collector.test.ts',
      'test/lint-renderers.test.ts',
      'test/lint-render-html.test.ts',
      'test/lint-cassette-folder.test.ts',
      'test/lint-request-contract.test.ts',
      'test/lint-request-accepted.test.ts',
      'test/lint-response-contract.test.ts',
      'test/lint-json-position.test.ts',
    ],
  },
  engine: {
    mutate: ['src/engine/*.ts'],
    // Replay's pipeline through real servers: what is counted, missed, replayed and rewound, and what a recorder in front of
    // a fake upstream stores (cassette-miss). Every test covers the pipeline, so every test runs for each of its
    // mutants: the list is kept to these (record-flow, a whole SDK flow recorded in its setup, would triple it).
    tests: [
      'src/engine/miss.test.ts',
      'src/engine/stored-findings.test.ts',
      'test/engine-summary.test.ts',
      'test/replay-basics.test.ts',
      'test/cassette-miss.test.ts',
      'test/replay-reset.test.ts',
      // The recorder's own steps, each test recording what it needs (not record-flow's whole SDK flow).
      'test/record-safety.test.ts',
      'test/record-limits.test.ts',
      'test/record-id-map.test.ts',
      // Engine's replay, rewind, report and write hooks, and the recorder's steps, without sockets: fast per mutant.
      'test/engine-hooks.test.ts',
      'test/recorder-steps.test.ts',
    ],
  },
  redact: {
    mutate: ['src/cassette/redact.ts'],
    // Not record-volatile: it records its whole flow in beforeAll, which makes every mutant it reaches a static
    // one (run against every test: two hours on two cores); redact.test.ts checks the shapes and codes it stores.
    tests: ['src/cassette/redact.test.ts', 'test/record-redact.test.ts', 'test/record-secrets.test.ts', 'test/match-and-redact-edges.test.ts'],
  },
};

function groupOf(name) {
  if (name in GROUPS) return { name, ...GROUPS[name] };
  for (const [group, { mutate }] of Object.entries(GROUPS)) {
    const covers = mutate.some(
      (pattern) => pattern === name || (pattern.endsWith('/*.ts') && name.startsWith(pattern.slice(0, -4)) && !name.slice(pattern.length - 4).includes('/')),
    );
    if (covers) return { ...GROUPS[group], name: `${group}-${name.replaceAll(/[^a-z0-9]+/gi, '-')}`, mutate: [name] };
  }
  console.error(`Unknown module "${name}": expected a group (${Object.keys(GROUPS).join(', ')}) or a file of one.`);
  process.exit(2);
}

const asked = process.argv.slice(2);
const runs = (asked.length > 0 ? asked : Object.keys(GROUPS)).map(groupOf);
mkdirSync('reports/mutation', { recursive: true });
let failed = false;
for (const run of runs) {
  console.log(`\n== mutation: ${run.name} (${run.mutate.join(', ')}) against ${run.tests.length} test files`);
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'),
      'run',
      '--mutate',
      run.mutate.join(','),
      '--incrementalFile',
      `reports/mutation/${run.name}.incremental.json`,
      ...(run.timeoutMS === undefined ? [] : ['--timeoutMS', String(run.timeoutMS)]),
    ],
    // @note The tests are chosen through the vitest config, not Stryker's --testFiles: with --testFiles,
    // Stryker 9.6 activates static (module-level) mutants after the module loaded and reports them survived
    // (stryker-mutator/stryker-js#6144).
    // The sandbox sits in .stryker-tmp/, so the reference data beside the repository is named absolutely.
    { stdio: 'inherit', env: { APPWRITE_VCR_SHARED_DIR: resolve('..', 'shared', 'appwrite'), ...process.env, VCR_MUTATION_TESTS: run.tests.join(',') } },
  );
  // Each group keeps its own report beside its incremental file; the next group overwrites mutation.json.
  if (existsSync('reports/mutation/mutation.json')) copyFileSync('reports/mutation/mutation.json', `reports/mutation/${run.name}.json`);
  console.log(`== mutation: ${run.name} took ${Math.round((Date.now() - started) / 1000)} s`);
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
