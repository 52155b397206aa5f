import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintCassettes, type LintProgress } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

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
  });

  it('refuses a folder that does not exist and a file given as the folder', async () => {
    const dir = await folder();
    await expect(lintCassettes({ cassettes: join(dir, 'none') })).rejects.toThrow(`Failed to read cassettes "${join(dir, 'none')}": no such folder`);
    const file = await writeCassette(dir, 'a', []);
    await expect(lintCassettes({ cassettes: file })).rejects.toThrow(`Failed to read cassettes "${file}": not a folder`);
    await expect(lintCassettes({ cassettes: dir, failOn: 'errors' })).rejects.toThrow(
      'Failed to use option "fail-on": "errors" is not one of error, warning, never',
    );
  });

  it('reports an unreadable file with the line and column of its syntax error, and a cassette of the wrong shape by name', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'syntax.json'), '{\n  "format": "appwrite-vcr-cassette",\n  "version": 1,\n  oops\n}');
    await writeFile(join(dir, 'shape.json'), JSON.stringify({ format: 'appwrite-vcr-cassette', version: 7, meta: {}, interactions: [] }));
    await writeCassette(dir, 'good', [health('1')]);
    const report = await lintCassettes({ cassettes: dir });
    expect(report.inputProblems).toEqual([
      { file: 'shape.json', message: expect.stringContaining('version') as string },
      { file: 'syntax.json', message: expect.stringContaining('line 4, column 3') as string, line: 4, column: 3 },
    ]);
    expect(report.summary).toMatchObject({ files: 3, malformedFiles: 2, interactions: 1, failed: false });
  });

  it('counts interactions with findings once each, groups the unknown routes by operation id, and sorts them', async () => {
    const dir = await folder();

    await writeCassette(dir, 'one', [
      { ...jsonInteraction('1', 'GET', '/v1/zeta', 200, {}), operationId: 'zetaGet' },
      jsonInteraction('2', 'GET', '/v1/users/ada', 200, { ...user('ada', 'Ada'), status: 'yes', extra: 1 }, key),
      { ...jsonInteraction('3', 'GET', '/v1/alpha/1', 200, {}) },
      { ...jsonInteraction('4', 'GET', '/v1/zeta/2', 200, {}), operationId: 'zetaGet' },
      jsonInteraction('5', 'GET', '/v1/nothing', 404, { message: 'Route not found.', code: 404, type: 'general_route_not_found', version: '1.5.0' }),
      jsonInteraction('6', 'GET', '/v1/users/bob', 200, user('bob', 'Bob'), key),
    ]);
    const report = await lintCassettes({ cassettes: dir });
    expect(report.summary).toEqual({
      files: 1,
      malformedFiles: 0,
      interactions: 6,
      interactionsWithFindings: 4,
      errors: 4,
      warnings: 1,
      findingGroups: 4,
      failOn: 'error',
      failed: true,
    });
    const unknown = report.operations.filter((op) => op.status === 'unknown');
    expect(unknown.map((op) => [op.operationId, op.method, op.path, op.tag, op.severity, op.interactions, op.findings.map((g) => g.places)])).toEqual([
      [null, 'GET', '/v1/alpha/1', null, 'error', 1, [[{ file: 'one.json', indexes: [2] }]]],
      ['zetaGet', 'GET', '/v1/zeta', null, 'error', 2, [[{ file: 'one.json', indexes: [0, 3] }]]],
    ]);
    expect(unknown[1]!.findings[0]!.message).toBe('GET /v1/zeta matches no operation of Appwrite 1.5.0');
    const usersGet = report.operations.find((op) => op.operationId === 'usersGet')!;
    expect([usersGet.status, usersGet.severity, usersGet.interactions]).toEqual(['drift', 'error', 2]);
    expect(usersGet.findings.map((g) => [g.severity, g.kind, g.path])).toEqual([
      ['error', 'type-mismatch', '/status'],
      ['warning', 'field-undeclared', '/extra'],
    ]);
    expect(report.coverage.covered).toBe(1);
  });
});
