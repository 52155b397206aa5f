import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeCassettes } from '../scripts/make-cassettes.js';
import { appFlow } from '../scripts/lint-traffic.js';
import { main } from '../src/cli/main.js';
import { lintCassettes, type CassetteFile, type LintReport } from '../src/index.js';
import { recordAppFlow } from './support/lint-recorder.js';
import { appwriteSpec } from './support/lint-specs.js';
import { startTestServer } from './support/server.js';

/** `operationId: ["side kind path ×count", ...]` for every operation with findings. */
function drift(report: LintReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const op of report.operations) {
    if (op.findings.length > 0) out[op.operationId ?? `${op.method} ${op.path}`] = op.findings.map((g) => `${g.side} ${g.kind} ${g.path} ×${g.count}`);
  }
  return out;
}

function unknownOperations(report: LintReport): (string | null)[] {
  return report.operations.filter((op) => op.status === 'unknown').map((op) => op.operationId);
}

/** Runs the CLI in this process; the report goes to a file. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(['lint', ...args]), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('lint over cassettes recorded from Appwrite 1.5.0 traffic', () => {
  let work: string;
  let recorded: string;
  let flowText: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vcr-lint-'));
    recorded = join(work, 'recorded');
    const server = await startTestServer();
    try {
      await recordAppFlow(server, recorded, [appFlow('6630f1a2b3c4d5e6f7a8'), appFlow('6630f1a2b3c4d5e6f7a9')]);
    } finally {
      await server.stop();
    }
    flowText = await readFile(join(recorded, 'app', 'flow-0.json'), 'utf8');
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('finds no drift in 1.5.0 traffic against the 1.5.0 spec and counts what it covers', async () => {
    const report = await lintCassettes({ cassettes: recorded, spec: appwriteSpec('1.5.0') });
    expect(drift(report)).toEqual({});
    expect(report.summary).toMatchObject({ files: 2, malformedFiles: 0, interactions: 46, errors: 0, warnings: 0, failed: false });
    const recordedIds = new Set((JSON.parse(flowText) as CassetteFile).interactions.map((i) => i.operationId).filter((id) => id !== null));
    expect(report.coverage.covered).toBe(recordedIds.size);
    expect(
      report.operations
        .filter((op) => op.status === 'covered')
        .map((op) => op.operationId)
        .sort(),
    ).toEqual([...recordedIds].sort());
    const users = report.coverage.byTag.find((t) => t.tag === 'users');
    expect(users?.missing).not.toContain('usersGet');
    expect(users?.missing).toContain('usersDelete');
    expect(users!.covered + users!.missing.length).toBe(users!.operations);
  });

  it('reports against 1.5.8 that sessions lack the now required $updatedAt and MFA factors lack recoveryCode', async () => {
    const report = await lintCassettes({ cassettes: recorded, spec: appwriteSpec('1.5.8') });
    expect(drift(report)).toEqual({
      accountCreateEmailPasswordSession: ['response required-missing /$updatedAt ×2'],
      accountListMfaFactors: ['response required-missing /recoveryCode ×2'],
      usersCreateSession: ['response required-missing /$updatedAt ×2'],
      usersListMfaFactors: ['response required-missing /recoveryCode ×2'],
    });
    const session = report.operations.find((op) => op.operationId === 'accountCreateEmailPasswordSession')!;
    expect(session.status).toBe('drift');
    expect(session.findings[0]!.places).toEqual([
      { file: 'app/flow-0.json', indexes: [3] },
      { file: 'app/flow-1.json', indexes: [3] },
    ]);
    expect(report.summary).toMatchObject({ errors: 8, warnings: 0, findingGroups: 4, interactionsWithFindings: 8, failed: true });
  });

  it('reports the recorded operations that 1.6.2 no longer has', async () => {
    const report = await lintCassettes({ cassettes: recorded, spec: appwriteSpec('1.6.2') });
    expect(unknownOperations(report)).toEqual(['accountCreateJWT', 'healthGetQueue']);
    const jwt = report.operations.find((op) => op.operationId === 'accountCreateJWT' && op.status === 'unknown')!;
    expect(jwt).toMatchObject({ method: 'POST', path: '/v1/account/jwt', tag: null, interactions: 2, severity: 'error' });
    expect(jwt.findings.map((g) => [g.kind, g.count])).toEqual([['operation-unknown', 2]]);
    // 1.6 kept the operation id and moved the route: the finding says where it went.
    expect(jwt.findings[0]!.message).toBe(
      'POST /v1/account/jwt matches no operation of Appwrite 1.6.2; the spec has accountCreateJWT at POST /v1/account/jwts',
    );
  });

  it('reports the recorded operations that 1.4.13 does not have yet', async () => {
    const report = await lintCassettes({ cassettes: recorded, spec: appwriteSpec('1.4.13') });
    expect(unknownOperations(report)).toEqual([
      'accountCreateEmailPasswordSession',
      'accountCreateJWT',
      'accountListMfaFactors',
      'usersCreateSession',
      'usersListMfaFactors',
    ]);
    // 1.5 added fields to the user model: the server sends more than 1.4.13 declares, a warning.
    expect(drift(report).usersGet).toEqual(['response field-undeclared /mfa ×2', 'response field-undeclared /targets ×2']);
  });

  it('reports exactly the wrong type, the unknown field and the undeclared status of a hand-edited cassette', async () => {
    const dir = join(work, 'edited');
    const cassette = JSON.parse(flowText) as CassetteFile;
    const usersGet = cassette.interactions.find((i) => i.operationId === 'usersGet')!;
    const user = (usersGet.response.body as { value: Record<string, unknown> }).value;
    user.name = 42;
    user.nickname = 'Countess';
    cassette.interactions.find((i) => i.operationId === 'teamsList')!.response.status = 202;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'edited.json'), JSON.stringify(cassette, null, 2));

    const report = await lintCassettes({ cassettes: dir, spec: appwriteSpec('1.5.0') });
    expect(drift(report)).toEqual({
      usersGet: ['response type-mismatch /name ×1', 'response field-undeclared /nickname ×1'],
      teamsList: ['response status-undeclared  ×1'],
    });
    const [wrongType, unknownField] = report.operations.find((op) => op.operationId === 'usersGet')!.findings;
    expect(wrongType).toMatchObject({ severity: 'error', example: { file: 'edited.json', index: 1, id: usersGet.id, value: 42 } });
    expect(unknownField).toMatchObject({ severity: 'warning', example: { value: 'Countess' } });
    expect(report.summary).toMatchObject({ errors: 2, warnings: 1 });
  });

  it('exits 0 for clean traffic, 1 for drift at the --fail-on level, and 0 with --fail-on never', async () => {
    const out = join(work, 'out');
    expect((await cli(['--cassettes', recorded, '--spec', appwriteSpec('1.5.0'), '--output', join(out, 'a.txt')])).code).toBe(0);
    expect((await cli(['--cassettes', recorded, '--spec', appwriteSpec('1.5.8'), '--output', join(out, 'b.txt')])).code).toBe(1);
    expect((await cli(['--cassettes', recorded, '--spec', appwriteSpec('1.5.8'), '--fail-on', 'never', '--output', join(out, 'c.txt')])).code).toBe(0);
    const text = await readFile(join(out, 'b.txt'), 'utf8');
    expect(text).not.toMatch(/\u001b\[/);
    expect(text).toContain('required-missing /$updatedAt ×2');
    expect(text).toContain('at app/flow-0.json #3; app/flow-1.json #3');
    expect(text.trimEnd().split('\n').at(-1)).toBe('  result: fail (--fail-on error)');
  });

  it('fails on warnings only when --fail-on warning asks for it', async () => {
    const dir = join(work, 'warnings-only');
    const cassette = JSON.parse(flowText) as CassetteFile;
    (cassette.interactions.find((i) => i.operationId === 'usersGet')!.response.body as { value: Record<string, unknown> }).value.nickname = 'Countess';
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'one.json'), JSON.stringify(cassette));
    const spec = appwriteSpec('1.5.0');
    expect((await cli(['--cassettes', dir, '--spec', spec, '--output', join(work, 'out', 'w1.txt')])).code).toBe(0);
    expect((await cli(['--cassettes', dir, '--spec', spec, '--fail-on', 'warning', '--output', join(work, 'out', 'w2.txt')])).code).toBe(1);
  });

  it('reports a malformed cassette with its position, lints the other files, and exits 2', async () => {
    const dir = join(work, 'with-broken');
    await mkdir(dir, { recursive: true });
    await copyFile(join(recorded, 'app', 'flow-0.json'), join(dir, 'good.json'));
    await writeFile(join(dir, 'broken.json'), '{\n  "format": "appwrite-vcr-cassette",\n  "version": 1,\n  "meta": {,\n}\n');
    const output = join(work, 'out', 'broken.json');
    const { code, stderr } = await cli(['--cassettes', dir, '--spec', appwriteSpec('1.5.8'), '--format', 'json', '--output', output]);
    expect(code).toBe(2);
    expect(stderr).toContain('broken.json');
    const report = JSON.parse(await readFile(output, 'utf8')) as LintReport;
    expect(report.inputProblems).toEqual([expect.objectContaining({ file: 'broken.json', line: 4, column: 12 })]);
    expect(report.summary).toMatchObject({ files: 2, malformedFiles: 1, interactions: 23 });
    expect(Object.keys(drift(report))).toContain('accountCreateEmailPasswordSession');
  });

  it('refuses an unknown --fail-on or --format value with exit 2 and the list of valid values', async () => {
    const failOn = await cli(['--cassettes', recorded, '--fail-on', 'sometimes']);
    expect(failOn.code).toBe(2);
    expect(failOn.stderr).toContain('"sometimes" is not one of error, warning, never');
    const format = await cli(['--cassettes', recorded, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('"pdf" is not one of text, json, junit, html');
  });

  it('exits 2 when the cassettes folder does not exist', async () => {
    const { code, stderr } = await cli(['--cassettes', join(work, 'nowhere'), '--spec', appwriteSpec('1.5.0')]);
    expect(code).toBe(2);
    expect(stderr).toContain('no such folder');
  });
});

describe('lint over many generated interactions', () => {
  it('reads thousands of identical violations as one group with their count and every place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-many-'));
    try {
      const files = await makeCassettes({ dir, interactions: 6000, perFile: 1500 });
      let sessions = 0;
      for (const file of files) {
        const cassette = JSON.parse(await readFile(join(dir, file), 'utf8')) as CassetteFile;
        sessions += cassette.interactions.filter((i) => i.request.method === 'POST' && i.request.path === '/v1/account/sessions/email').length;
      }
      const report = await lintCassettes({ cassettes: dir, spec: appwriteSpec('1.5.8') });
      expect(report.summary.interactions).toBe(6000);
      const session = report.operations.find((op) => op.operationId === 'accountCreateEmailPasswordSession')!;
      expect(session.findings).toHaveLength(1);
      expect(session.findings[0]!.count).toBe(sessions);
      expect(session.findings[0]!.places.map((p) => p.file)).toEqual(files);
      expect(session.findings[0]!.places.reduce((n, p) => n + p.indexes.length, 0)).toBe(sessions);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
