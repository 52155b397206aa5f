import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFlow } from '../scripts/lint-traffic.js';
import { lintCassettes, renderReport, type CassetteFile, type LintReport } from '../src/index.js';
import { recordAppFlow } from './support/lint-recorder.js';
import { appwriteSpec, ARTIFACTS } from './support/lint-specs.js';
import { REPO_ROOT } from './support/spec-files.js';
import { startTestServer } from './support/server.js';

/** A value no report may pass through unescaped: markup, quotes, an entity, a control character. */
const HOSTILE = '</failure><script>alert("x")</script> & \'q\' \u0001';

describe('lint report formats', () => {
  let work: string;
  /** 1.5.0 traffic linted against 1.6.2: drift, warnings, unknown and missing operations, a malformed file. */
  let report: LintReport;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vcr-lint-reports-'));
    const cassettes = join(work, 'cassettes');
    const server = await startTestServer();
    try {
      await recordAppFlow(server, cassettes, [appFlow('6630f1a2b3c4d5e6f7a8')]);
    } finally {
      await server.stop();
    }
    const cassette = JSON.parse(await readFile(join(cassettes, 'app', 'flow-0.json'), 'utf8')) as CassetteFile;
    (cassette.interactions.find((i) => i.operationId === 'usersGet')!.response.body as { value: Record<string, unknown> }).value.nickname = HOSTILE;
    await writeFile(join(cassettes, 'edited.json'), JSON.stringify(cassette));
    await writeFile(join(cassettes, 'broken.json'), '{"format": "appwrite-vcr-cassette", "version": 1, "meta": {}, "interactions": [}');
    report = await lintCassettes({ cassettes, spec: appwriteSpec('1.6.2'), failOn: 'warning' });
    expect(report.inputProblems).toEqual([expect.objectContaining({ file: 'broken.json', line: 1, column: 80 })]);
    expect(report.operations.some((op) => op.status === 'unknown')).toBe(true);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('writes JSON that validates against its documented schema', async () => {
    const schema = JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'lint-report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const json = JSON.parse(renderReport(report, 'json')) as unknown;
    const valid = validate(json);
    expect(valid ? [] : validate.errors).toEqual([]);
    const broken = structuredClone(json) as { version: number };
    broken.version = 2;
    expect(validate(broken)).toBe(false);
  });

  it('writes JUnit XML with one test case per operation and the findings in failures, escaped', () => {
    const xml = renderReport(report, 'junit');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
      testsuites: {
        tests: string;
        testsuite: {
          name: string;
          testcase: {
            name: string;
            failure?: { '#text': string; message: string };
            skipped?: unknown;
            error?: { '#text': string; message: string; type: string };
          }[];
        }[];
      };
    };
    const cases = doc.testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(report.operations.length + report.inputProblems.length);
    expect(Number(doc.testsuites.tests)).toBe(cases.length);
    const usersGet = cases.find((c) => c.name === 'usersGet GET /users/{userId}')!;
    expect(usersGet.failure?.['#text']).toContain(`field-undeclared /nickname ×1`);
    expect(usersGet.failure?.['#text']).toContain('</failure><script>');
    const missing = report.operations.filter((op) => op.status === 'missing').length;
    expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(missing);
    const [broken] = report.inputProblems;
    expect(broken?.message).toMatch(/line 1, column 80/);
    expect(cases.find((c) => c.name === 'broken.json')?.error).toEqual({ '#text': broken?.message, message: broken?.message, type: 'malformed-cassette' });
  });

  it('writes an HTML page that opens in Chromium offline, shows every operation and filters by tag', async () => {
    const file = join(work, 'report.html');
    await writeFile(file, renderReport(report, 'html'));
    let browser: Browser;
    browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network: ${request.url()}`);
      });
      page.on('dialog', (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(file).href);

      const tiles = page.locator('a.op');
      expect(await tiles.count()).toBe(report.operations.length);
      const labels = await tiles.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-operation')));
      expect(labels).toEqual(report.operations.map((op) => op.operationId ?? `${op.method} ${op.path}`));
      expect(await page.locator('a.op.s-error').count()).toBe(report.operations.filter((op) => op.status === 'drift' && op.severity === 'error').length);
      expect(await page.locator('a.op.s-missing').count()).toBe(report.operations.filter((op) => op.status === 'missing').length);
      expect(await page.locator('text=broken.json').count()).toBeGreaterThan(0);

      await page.screenshot({ path: join(ARTIFACTS, 'lint-report.png'), fullPage: false });

      await page.getByRole('button', { name: 'users', exact: true }).click();
      const usersOps = report.operations.filter((op) => op.tag === 'users').length;
      expect(await page.locator('a.op:visible').count()).toBe(usersOps);
      expect(await page.locator('section.tag:visible').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-tag')))).toEqual(['users']);
      await page.locator('a.op[data-operation="usersGet"]').click();
      expect(await page.locator('details[open] >> text=/nickname').count()).toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, 'lint-report-users.png'), fullPage: false });

      await page.getByRole('button', { name: 'All tags' }).click();
      expect(await page.locator('a.op:visible').count()).toBe(report.operations.length);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('writes text without colour codes when not on a terminal, the summary last', () => {
    const text = renderReport(report, 'text');
    expect(text).not.toMatch(/\u001b\[/);
    const sections = ['Drift', 'Input problems', 'Coverage', 'Summary'].map((s) => text.search(new RegExp(`^${s}`, 'm')));
    expect(sections.every((at) => at > 0)).toBe(true);
    expect([...sections].sort((a, b) => a - b)).toEqual(sections);
  });
});

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
});
