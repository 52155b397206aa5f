import { describePlaces } from './describe-places.js';
import { escapeXml } from './escape-xml.js';
import { severityFails } from './fail-on.js';
import { plural } from './plural.js';
import type { FindingGroup, LintReport, OperationReport } from './lint-report.js';

const PLACES_SHOWN = 20;

/**
 * JUnit XML: one test suite per tag, one test case per operation. A test case fails when it has a finding
 * at the `--fail-on` level, so the CI view agrees with the exit code; other findings go to its system-out.
 * Operations never recorded are skipped; malformed cassettes are errors in a `cassettes` suite.
 */
export function renderJunit(report: LintReport): string {
  const suites = new Map<string, OperationReport[]>();
  for (const op of report.operations) {
    const name = op.tag ?? 'unknown operations';
    const list = suites.get(name);
    if (list) list.push(op);
    else suites.set(name, [op]);
  }
  const body: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [name, ops] of suites) {
    const cases = ops.map((op) => testCase(name, op, report));
    const suiteFailures = cases.filter((c) => c.failed).length;
    const suiteSkipped = ops.filter((op) => op.status === 'missing').length;
    tests += ops.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    body.push(`  <testsuite name="${escapeXml(name)}" tests="${ops.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">`);
    for (const c of cases) body.push(c.xml);
    body.push('  </testsuite>');
  }
  const problems = report.inputProblems;
  if (problems.length > 0) {
    tests += problems.length;
    body.push(`  <testsuite name="cassettes" tests="${problems.length}" failures="0" errors="${problems.length}" skipped="0">`);
    for (const problem of problems) {
      body.push(`    <testcase classname="cassettes" name="${escapeXml(problem.file)}">`);
      body.push(`      <error message="${escapeXml(problem.message)}" type="malformed-cassette">${escapeXml(problem.message)}</error>`);
      body.push('    </testcase>');
    }
    body.push('  </testsuite>');
  }
  const title = `appwrite-vcr lint against ${report.spec.title} ${report.spec.version}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(title)}" tests="${tests}" failures="${failures}" errors="${problems.length}" skipped="${skipped}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(suite: string, op: OperationReport, report: LintReport): { xml: string; failed: boolean } {
  const name = `${op.operationId ?? '(no operation id)'} ${op.method} ${op.path}`;
  const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(name)}">`;
  if (op.status === 'missing') return { xml: `${open}\n      <skipped message="no recorded interaction"/>\n    </testcase>`, failed: false };
  const failOn = report.summary.failOn;
  const failing = op.findings.filter((g) => severityFails(g.severity, failOn));
  const other = op.findings.filter((g) => !severityFails(g.severity, failOn));
  const lines = [open];
  if (failing.length > 0) {
    const count = failing.reduce((n, g) => n + g.count, 0);
    const message = `${plural(count, 'finding')} in ${plural(op.interactions, 'interaction')}: ${failing.map((g) => `${g.kind} ${g.path || '(whole)'}`).join(', ')}`;
    lines.push(`      <failure message="${escapeXml(message)}" type="${escapeXml(failing[0]!.kind)}">${escapeXml(failing.map(describe).join('\n'))}</failure>`);
  }
  if (other.length > 0) lines.push(`      <system-out>${escapeXml(other.map(describe).join('\n'))}</system-out>`);
  lines.push('    </testcase>');
  return { xml: lines.join('\n'), failed: failing.length > 0 };
}

function describe(group: FindingGroup): string {
  const value = group.example.value === undefined ? '' : ` (example: ${JSON.stringify(group.example.value)})`;
  return `${group.severity} ${group.side} ${group.kind} ${group.path || '(whole)'} ×${group.count}: ${group.message}${value}\n  at ${describePlaces(group.places, PLACES_SHOWN)}`;
}
