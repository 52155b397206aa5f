import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { jsonInteraction, writeCassette } from './support/cassette.js';

let dir = '';
const ESCAPES = '\u001b]0;pwned\u0007\u001b[2J\u009b31m';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vcr-lint-hostile-'));
  await writeCassette(dir, 'good', [{ ...jsonInteraction('1', 'GET', '/v1/health', 200, { status: 'pass' }), operationId: 'healthGet' }]);
  const numeric = { ...jsonInteraction('2', 'GET', '/v1/health', 200, { status: 'pass' }), operationId: 42 };
  await writeFile(
    join(dir, 'numeric.json'),
    JSON.stringify({
      format: 'appwrite-vcr-cassette',
      version: 1,
      meta: { createdBy: 'x', createdAt: '2026-01-01T00:00:00.000Z', specVersion: '1.5.0' },
      interactions: [numeric],
    }),
  );
  await writeCassette(dir, 'escapes', [jsonInteraction('3', 'GET', `/v1/health${ESCAPES}`, 200, { status: 'pass', note: ESCAPES })]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lint of hostile cassettes', () => {
  it('reports a cassette whose operationId is a number as an input problem naming the file, and still writes the HTML report of the others', async () => {
    const output = join(dir, 'report.html');
    const run = runCli(['lint', '--cassettes', dir, '--format', 'html', '--output', output]);
    const code = await run.exited;
    expect(run.stderr()).not.toMatch(/TypeError/);
    expect(code).not.toBeNull();
    const html = await readFile(output, 'utf8');
    expect(html).toContain('numeric.json');
    expect(html).toContain('&quot;operationId&quot; must be a string or null');
    expect(html).toContain('healthGet');
  });

  it('prints no raw control character of a cassette in the text report, even with NO_COLOR', async () => {
    const run = runCli(['lint', '--cassettes', dir, '--format', 'text']);
    await run.exited;
    const text = run.stdout() + run.stderr();
    expect(text).toContain('numeric.json');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('\\u001b]0;pwned\\u0007');
  });
});
