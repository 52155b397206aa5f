import { describe, expect, it } from 'vitest';
import { parseLintFormat, renderReport, type LintReport, type Paint } from '../src/index.js';
import { cleanReport, findingGroup, handReport } from './support/lint-report-fixture.js';

/** Colours as visible tags, so that a test sees which text each colour covers. */
const TAGS: Paint = {
  red: (t) => `<r>${t}</r>`,
  yellow: (t) => `<y>${t}</y>`,
  green: (t) => `<g>${t}</g>`,
  dim: (t) => `<d>${t}</d>`,
  bold: (t) => `<b>${t}</b>`,
};

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** A report that fails on findings alone: no malformed file. */
function failingReport(failOn: LintReport['summary']['failOn'] = 'error'): LintReport {
  const report = handReport();
  return { ...report, summary: { ...report.summary, malformedFiles: 0, failOn }, inputProblems: [] };
}

describe('lint report renderers, on a report written by hand', () => {
  it('writes the text report with every section, each colour on its words, and the summary last', () => {
    expect(renderReport(handReport(), 'text', TAGS)).toBe(
      lines(
        '<b>appwrite-vcr lint: 7 interactions in 3 cassette files against Appwrite 1.5.0 (4 operations)</b>',
        '',
        '<b>Drift</b>',
        '  <r>✗</r> usersGet <d>GET /users/{userId} [users]</d> <d>3 interactions</d>',
        '      <r>error  </r> response type-mismatch /status <b>×3</b> must be boolean<d> example: "yes"</d>',
        '      <d>at a.json #0, #2; b/c.json #5</d>',
        '      <y>warning</y> response field-undeclared /nickname <b>×1</b> field not in the spec',
        '      <d>at a.json #0</d>',
        '  <y>!</y> healthGet <d>GET /health [health]</d> <d>1 interaction</d>',
        '      <y>warning</y> request  parameter-unknown query.x <b>×1</b> unknown query parameter "x"<d> example: "1"</d>',
        '      <d>at b/c.json #1</d>',
        '  <r>✗</r> GET /v1/nope <d>(no operation id, not in the spec)</d> <d>1 interaction</d>',
        '      <r>error  </r> request  operation-unknown (whole) <b>×1</b> GET /v1/nope matches no operation',
        '      <d>at a.json #0</d>',
        '',
        "<b>Appwrite's own known deviations from its spec (information, never a failure)</b>",
        '  <d>i</d> accountCreateJWT jwt-201 <b>×2</b> (a.json #4)',
        '      <d>Appwrite answers 201</d>',
        '',
        '<b>Input problems</b>',
        '  <r>✗</r> broken.json: invalid JSON at line 1, column 80',
        '',
        '<b>Coverage 2/4 operations (50%)</b>',
        '  users  <y>    1/3</y>  33.3%<d>  missing: usersDelete, usersUpdateName</d>',
        '  health <g>    1/1</g>   100%',
        '  teams  <d>    0/1</d>     0%<d>  none recorded</d>',
        '',
        '<b>Summary</b>',
        '  7 interactions, 4 with findings',
        '  <r>4 errors</r>, <y>2 warnings</y> in 4 groups',
        '  <r>1 malformed cassette file</r>',
        '  result: <r>input problem</r> (--fail-on error)',
      ),
    );
  });

  it('writes the singular forms and a pass for one clean interaction, uncoloured by default', () => {
    expect(renderReport(cleanReport(), 'text')).toBe(
      lines(
        'appwrite-vcr lint: 1 interaction in 1 cassette file against Appwrite 1.5.0 (4 operations)',
        '',
        'Coverage 1/1 operations (100%)',
        '  health     1/1   100%',
        '',
        'Summary',
        '  1 interaction, 0 with findings',
        '  0 errors, 0 warnings in 0 groups',
        '  result: pass (--fail-on error)',
      ),
    );
    expect(renderReport(cleanReport(), 'text', TAGS).split('\n').slice(-4, -1)).toEqual([
      '  1 interaction, 0 with findings',
      '  0 errors, 0 warnings in 0 groups',
      '  result: <g>pass</g> (--fail-on error)',
    ]);
  });

  it('writes a fail in red when findings reach --fail-on without a malformed file, and two malformed files in the plural', () => {
    const failing = renderReport(failingReport(), 'text', TAGS).split('\n');
    expect(failing.slice(-4)).toEqual([
      '  7 interactions, 4 with findings',
      '  <r>4 errors</r>, <y>2 warnings</y> in 4 groups',
      '  result: <r>fail</r> (--fail-on error)',
      '',
    ]);
    const report = handReport();
    const two = { ...report, summary: { ...report.summary, malformedFiles: 2, errors: 1, warnings: 1 } };
    expect(renderReport(two, 'text').split('\n').slice(-4, -1)).toEqual([
      '  1 error, 1 warning in 4 groups',
      '  2 malformed cassette files',
      '  result: input problem (--fail-on error)',
    ]);
  });

  it('cuts the places of a text finding after 8, saying how many more there are', () => {
    const report = cleanReport();
    const many = findingGroup({
      kind: 'field-undeclared',
      severity: 'warning',
      side: 'response',
      path: '/x',
      message: 'm',
      places: [{ file: 'a.json', indexes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }],
    });
    report.operations = [{ ...report.operations[0]!, status: 'drift', severity: 'warning', findings: [many] }];
    expect(renderReport(report, 'text').split('\n')[5]).toBe('      at a.json #0, #1, #2, #3, #4, #5, #6, #7 … +2 more (the JSON report lists every place)');
  });

  it('prints a control character of a cassette escaped in the text report', () => {
    const report = cleanReport();
    report.inputProblems = [{ file: 'a\u001b[2J.json', message: 'bad\u0007' }];
    expect(renderReport(report, 'text')).toContain('  ✗ a\\u001b[2J.json: bad\\u0007\n');
  });

  it('takes the four formats and refuses anything else with the list', () => {
    expect(['text', 'json', 'junit', 'html'].map(parseLintFormat)).toEqual(['text', 'json', 'junit', 'html']);
    expect(() => parseLintFormat('xml')).toThrow('Failed to use option "format": "xml" is not one of text, json, junit, html');
  });

  it('writes the JSON report as the report itself, indented, one line feed at the end', () => {
    const report = handReport();
    const json = renderReport(report, 'json');
    expect(JSON.parse(json)).toEqual(report);
    expect(json).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it('writes JUnit XML: a suite per tag, failures at the --fail-on level, other findings in system-out, missing operations skipped', () => {
    expect(renderReport(handReport(), 'junit')).toBe(
      lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="appwrite-vcr lint against Appwrite 1.5.0" tests="6" failures="2" errors="1" skipped="2">',
        '  <testsuite name="users" tests="2" failures="1" errors="0" skipped="1">',
        '    <testcase classname="users" name="usersGet GET /users/{userId}">',
        '      <failure message="3 findings in 3 interactions: type-mismatch /status" type="type-mismatch">error response type-mismatch /status ×3: must be boolean (example: &quot;yes&quot;)',
        '  at a.json #0, #2; b/c.json #5</failure>',
        '      <system-out>warning response field-undeclared /nickname ×1: field not in the spec',
        '  at a.json #0</system-out>',
        '    </testcase>',
        '    <testcase classname="users" name="usersDelete DELETE /users/{userId}">',
        '      <skipped message="no recorded interaction"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="health" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase classname="health" name="healthGet GET /health">',
        '      <system-out>warning request parameter-unknown query.x ×1: unknown query parameter &quot;x&quot; (example: &quot;1&quot;)',
        '  at b/c.json #1</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="teams" tests="1" failures="0" errors="0" skipped="1">',
        '    <testcase classname="teams" name="teamsList GET /teams">',
        '      <skipped message="no recorded interaction"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="unknown operations" tests="1" failures="1" errors="0" skipped="0">',
        '    <testcase classname="unknown operations" name="(no operation id) GET /v1/nope">',
        '      <failure message="1 finding in 1 interaction: operation-unknown (whole)" type="operation-unknown">error request operation-unknown (whole) ×1: GET /v1/nope matches no operation',
        '  at a.json #0</failure>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="cassettes" tests="1" failures="0" errors="1" skipped="0">',
        '    <testcase classname="cassettes" name="broken.json">',
        '      <error message="invalid JSON at line 1, column 80" type="malformed-cassette">invalid JSON at line 1, column 80</error>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
      ),
    );
  });

  it('writes JUnit failures for warnings with --fail-on warning and none with --fail-on never', () => {
    const warning = renderReport(failingReport('warning'), 'junit');
    expect(warning).toContain('<testsuites name="appwrite-vcr lint against Appwrite 1.5.0" tests="5" failures="3" errors="0" skipped="2">');
    expect(warning).toContain(
      '      <failure message="4 findings in 3 interactions: type-mismatch /status, field-undeclared /nickname" type="type-mismatch">error response type-mismatch /status ×3: must be boolean (example: &quot;yes&quot;)\n  at a.json #0, #2; b/c.json #5\nwarning response field-undeclared /nickname ×1: field not in the spec\n  at a.json #0</failure>\n    </testcase>',
    );
    expect(warning).not.toContain('<system-out>');
    const never = renderReport(failingReport('never'), 'junit');
    expect(never).toContain('tests="5" failures="0" errors="0" skipped="2">');
    expect(never).not.toContain('<failure');
    expect(never.match(/<system-out>/g)).toHaveLength(3);
    expect(never).toContain(
      '    <testcase classname="users" name="usersGet GET /users/{userId}">\n      <system-out>error response type-mismatch /status ×3: must be boolean (example: &quot;yes&quot;)\n  at a.json #0, #2; b/c.json #5\nwarning response field-undeclared /nickname ×1: field not in the spec\n  at a.json #0</system-out>\n    </testcase>',
    );
  });

  it('writes an empty JUnit test case for a clean operation', () => {
    expect(renderReport(cleanReport(), 'junit')).toBe(
      lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="appwrite-vcr lint against Appwrite 1.5.0" tests="1" failures="0" errors="0" skipped="0">',
        '  <testsuite name="health" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase classname="health" name="healthGet GET /health">',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
      ),
    );
  });
});
