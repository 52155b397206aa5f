import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintCassettes, type Interaction, type LintProgress } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What lint reads from a folder: which files, in which order, what it makes of unreadable ones, and what it counts. */
describe('lint: the cassettes folder', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  async function folder(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-lint-folder-'));
    dirs.push(dir);
    return dir;
  }
  const key = { headers: { 'x-appwrite-key': '[redacted]' } };
  const health = (id: string) => ({
    ...jsonInteraction(id, 'GET', '/v1/health', 200, { name: 'http', ping: 1, status: 'pass' }, key),
    operationId: 'healthGet',
  });

  it('reads every *.json below the folder and a journal whose cassette does not exist yet, in sorted order, and nothing else', async () => {
    const dir = await folder();
    await writeCassette(dir, 'b', [health('1')]);
    await writeCassette(dir, 'a/deep/c', [health('2'), health('3')]);
    await writeFile(join(dir, 'notes.txt'), 'not a cassette');
    await writeFile(join(dir, 'a', 'x.json.bak'), '{');
    await mkdir(join(dir, 'folder.json'));
    const line = JSON.stringify(health('4'));
    await writeFile(
      join(dir, 'only-journal.json.journal'),
      `${JSON.stringify({ format: 'appwrite-vcr-journal', version: 1, meta: { createdBy: 't', createdAt: '2026-01-01T00:00:00.000Z', specVersion: '1.5.0' } })}\n${line}\n`,
    );
    const progress: LintProgress[] = [];
    const report = await lintCassettes({ cassettes: dir, onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { file: 'a/deep/c.json', filesDone: 1, files: 3, interactions: 2 },
      { file: 'b.json', filesDone: 2, files: 3, interactions: 3 },
      { file: 'only-journal.json', filesDone: 3, files: 3, interactions: 4 },
    ]);
    expect(report.inputProblems).toEqual([]);
    expect(report.summary).toEqual({
      files: 3,
      malformedFiles: 0,
      interactions: 4,
      interactionsWithFindings: 0,
      errors: 0,
      warnings: 0,
      findingGroups: 0,
      failOn: 'error',
      failed: false,
    });
    expect(report.operations.find((op) => op.operationId === 'healthGet')).toEqual({
      operationId: 'healthGet',
      method: 'GET',
      path: '/health',
      tag: 'health',
      status: 'covered',
      severity: null,
      interactions: 4,
      findings: [],
    });
    expect(report.cassettes).toBe(dir);
    expect([report.format, report.version, report.createdBy]).toEqual(['appwrite-vcr-lint-report', 1, expect.stringMatching(/^appwrite-vcr\/\d+\.\d+\.\d+/)]);
  });

  it('refuses a folder that does not exist and a file given as the folder', async () => {
    const dir = await folder();
    await expect(lintCassettes({ cassettes: join(dir, 'none') })).rejects.toThrow(`Failed to read cassettes "${join(dir, 'none')}": no such folder`);
    const missing = (await lintCassettes({ cassettes: join(dir, 'none') }).catch((err: unknown) => err)) as {
      code: string;
      details: unknown;
      cause: { code: string };
    };
    expect([missing.code, missing.details, missing.cause.code]).toEqual(['CONFIG_INVALID', { dir: join(dir, 'none') }, 'ENOENT']);
    const file = await writeCassette(dir, 'a', []);
    await expect(lintCassettes({ cassettes: file })).rejects.toThrow(`Failed to read cassettes "${file}": not a folder`);
    await expect(lintCassettes({ cassettes: dir, failOn: 'errors' })).rejects.toThrow(
      'Failed to use option "fail-on": "errors" is not one of error, warning, never',
    );
  });

  it('reports an unreadable file with the line and column of its syntax error, found by scanning when JSON.parse names none, and sorts the problems by name', async () => {
    const dir = await folder();
    const lines = ['{', '  "format": "appwrite-vcr-cassette",', ...Array.from({ length: 9 }, (_, i) => `  "k${i}": ${i},`), '  "version": 1, oops', '}'];
    await writeFile(join(dir, 'syntax.json'), lines.join('\n'));
    await writeFile(join(dir, 'B-truncated.json'), '{\n  "format": "appwrite-vcr-cassette",\n  "interactions": [');
    await writeFile(join(dir, 'a-shape.json'), JSON.stringify({ format: 'appwrite-vcr-cassette', version: 7, meta: {}, interactions: [] }));
    await writeFile(join(dir, 'c.json.journal'), '{bad\n');
    await writeFile(join(dir, 'empty.json'), '  ');
    await writeCassette(dir, 'good', [health('1')]);
    const report = await lintCassettes({ cassettes: dir });
    expect(report.inputProblems).toEqual([
      { file: 'a-shape.json', message: 'Failed to load cassette "a-shape.json": unsupported version 7 (this appwrite-vcr reads version 1)' },
      {
        file: 'B-truncated.json',
        message: 'Failed to load cassette "B-truncated.json": invalid JSON at line 3, column 20: Unexpected end of JSON input',
        line: 3,
        column: 20,
      },
      {
        file: 'c.json.journal',
        // The parser's own words come last; Node 22 and later add "(line 1 column 2)" to them.
        message: expect.stringMatching(
          new RegExp(
            `^Failed to load cassette journal "${escapeRegExp(join(dir, 'c.json.journal'))}": line 1: invalid JSON: Expected property name or '}' in JSON at position 1( \\(line 1 column 2\\))?$`,
          ),
        ) as unknown as string,
      },
      {
        file: 'empty.json',
        message: 'Failed to load cassette "empty.json": invalid JSON at line 1, column 3 (the file is empty): Unexpected end of JSON input',
        line: 1,
        column: 3,
      },
      {
        file: 'syntax.json',
        // What follows the position is V8's own wording, which differs between Node lines.
        message: expect.stringMatching(/^Failed to load cassette "syntax\.json": invalid JSON at line 12, column 17: [^]*position 154/) as string,
        line: 12,
        column: 17,
      },
    ]);
    expect(report.summary).toMatchObject({ files: 6, malformedFiles: 5, interactions: 1, failed: false });
  });

  it("reports Appwrite's own known deviations apart, counted, with their first place, by operation", async () => {
    const dir = await folder();
    const deleted = (id: string): Interaction => ({
      ...jsonInteraction(id, 'DELETE', '/v1/users/ada/mfa/authenticators/totp', 204, null, key),
      response: { status: 204, headers: {}, body: null },
    });
    const statuses = jsonInteraction('d', 'GET', '/v1/health/db', 200, { total: 1, statuses: [{ name: 'database', ping: 1, status: 'pass' }] }, key);
    await writeCassette(dir, 'deviations', [deleted('a'), health('h'), deleted('b'), statuses]);
    const report = await lintCassettes({ cassettes: dir });
    expect(report.knownDeviations).toEqual([
      {
        id: 'health-status-list',
        operationId: 'healthGetDB',
        reason: expect.stringContaining('health.php:110') as string,
        count: 1,
        example: { file: 'deviations.json', index: 3, id: 'd' },
      },
      {
        id: 'status-204-for-200',
        operationId: 'usersDeleteMfaAuthenticator',
        reason: expect.stringContaining('users.php:1752') as string,
        count: 2,
        example: { file: 'deviations.json', index: 0, id: 'a' },
      },
    ]);
    expect(report.summary).toMatchObject({ interactions: 4, interactionsWithFindings: 0, errors: 0, warnings: 0 });
    expect(report.operations.filter((op) => op.status === 'covered').map((op) => [op.operationId, op.interactions])).toEqual([
      ['healthGet', 1],
      ['healthGetDB', 1],
      ['usersDeleteMfaAuthenticator', 2],
    ]);
  });

  it('counts the operations covered, overall and by tag, in spec order, with the missing ones named', async () => {
    const dir = await folder();
    await writeCassette(dir, 'health', [
      health('1'),
      { ...jsonInteraction('2', 'GET', '/v1/health/time', 200, { remoteTime: 1, localTime: 1, diff: 0 }, key), operationId: 'healthGetTime' },
    ]);
    const report = await lintCassettes({ cassettes: dir });
    const healthTag = report.coverage.byTag.find((t) => t.tag === 'health')!;
    const healthOps = report.operations.filter((op) => op.tag === 'health').map((op) => op.operationId);
    expect(healthTag).toEqual({
      tag: 'health',
      operations: healthOps.length,
      covered: 2,
      percent: Math.round((2 / healthOps.length) * 1000) / 10,
      missing: healthOps.filter((id) => id !== 'healthGet' && id !== 'healthGetTime'),
    });
    expect([healthOps.length, healthTag.percent]).toEqual([23, 8.7]);
    expect(report.coverage).toMatchObject({ operations: report.spec.operations, covered: 2, percent: Math.round((2 / report.spec.operations) * 1000) / 10 });
    expect(
      report.coverage.byTag.every((t) =>
        t.tag === 'health' ? t.covered === 2 : t.covered === 0 && t.percent === 0 && t.missing.length === t.operations && t.operations > 0,
      ),
    ).toBe(true);
    expect(report.coverage.byTag.reduce((n, t) => n + t.operations, 0)).toBe(report.spec.operations);
    expect(report.spec).toEqual({
      title: 'Appwrite',
      version: '1.5.0',
      source: expect.stringMatching(/1\.5\.0/) as string,
      operations: report.operations.length,
    });
    expect(report.operations.find((op) => op.operationId === 'healthGetDB')).toMatchObject({
      status: 'missing',
      severity: null,
      interactions: 0,
      findings: [],
    });
  });

  it('counts interactions with findings once each, groups the unknown routes by operation id, and sorts them', async () => {
    const dir = await folder();
    await writeCassette(dir, 'one', [
      { ...jsonInteraction('1', 'GET', '/v1/zeta', 200, {}), operationId: 'zetaGet' },
      jsonInteraction('2', 'GET', '/v1/users/ada', 200, { ...user('ada', 'Ada'), status: 'yes', extra: 1 }, key),
      { ...jsonInteraction('3', 'GET', '/v1/alpha/1', 200, {}) },
      { ...jsonInteraction('3b', 'GET', '/v1/beta', 200, {}) },
      { ...jsonInteraction('4', 'GET', '/v1/zeta/2', 200, {}), operationId: 'zetaGet' },
      jsonInteraction('5', 'GET', '/v1/nothing', 404, { message: 'Route not found.', code: 404, type: 'general_route_not_found', version: '1.5.0' }),
      jsonInteraction('6', 'GET', '/v1/users/bob', 200, user('bob', 'Bob'), key),
    ]);
    const report = await lintCassettes({ cassettes: dir });
    expect(report.summary).toEqual({
      files: 1,
      malformedFiles: 0,
      interactions: 7,
      interactionsWithFindings: 5,
      errors: 5,
      warnings: 1,
      findingGroups: 5,
      failOn: 'error',
      failed: true,
    });
    const unknown = report.operations.filter((op) => op.status === 'unknown');
    expect(unknown.map((op) => [op.operationId, op.method, op.path, op.tag, op.severity, op.interactions, op.findings.map((g) => g.places)])).toEqual([
      [null, 'GET', '/v1/alpha/1', null, 'error', 1, [[{ file: 'one.json', indexes: [2] }]]],
      [null, 'GET', '/v1/beta', null, 'error', 1, [[{ file: 'one.json', indexes: [3] }]]],
      ['zetaGet', 'GET', '/v1/zeta', null, 'error', 2, [[{ file: 'one.json', indexes: [0, 4] }]]],
    ]);
    expect(unknown[2]!.findings[0]).toMatchObject({ message: 'GET /v1/zeta matches no operation of Appwrite 1.5.0', example: { value: 'GET /v1/zeta' } });
    const usersGet = report.operations.find((op) => op.operationId === 'usersGet')!;
    expect([usersGet.status, usersGet.severity, usersGet.interactions]).toEqual(['drift', 'error', 2]);
    expect(usersGet.findings.map((g) => [g.severity, g.kind, g.path])).toEqual([
      ['error', 'type-mismatch', '/status'],
      ['warning', 'field-undeclared', '/extra'],
    ]);
    expect(report.coverage.covered).toBe(1);
  });
});
