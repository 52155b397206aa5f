import { escapeXml as esc } from './escape-xml.js';
import { describePlaces } from './describe-places.js';
import type { FindingGroup, LintReport, OperationReport } from './lint-report.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { plural } from './plural.js';

const PLACES_SHOWN = 50;
const UNKNOWN_TAG = 'not in the spec';

/**
 * One self-contained HTML file: the coverage map of every operation by tag, coloured covered / drift /
 * missing, the findings under each tag, and a tag filter. Its content security policy forbids any fetch.
 */
export function renderHtml(report: LintReport): string {
  const { summary, spec, coverage } = report;
  const byTag = new Map<string, OperationReport[]>();
  for (const op of report.operations) {
    const tag = op.tag ?? UNKNOWN_TAG;
    const list = byTag.get(tag);
    if (list) list.push(op);
    else byTag.set(tag, [op]);
  }
  const verdict = summary.malformedFiles > 0 ? 'input problem' : summary.failed ? 'fail' : 'pass';
  const cards = [
    card(String(summary.interactions), `interactions in ${plural(summary.files, 'file')}`),
    card(`${coverage.covered}/${coverage.operations}`, `operations covered (${coverage.percent}%)`),
    card(String(summary.errors), 'errors'),
    card(String(summary.warnings), 'warnings'),
    card(verdict, `--fail-on ${summary.failOn}`, verdict === 'pass' ? 'pass' : 'fail'),
  ].join('');
  const tags = [...byTag.keys()];
  const toolbar = [
    `<button type="button" data-filter="*">All tags</button>`,
    ...tags.map((t) => `<button type="button" data-filter="${esc(t)}">${esc(t)}</button>`),
  ].join('');
  const title = `appwrite-vcr lint — ${spec.title} ${spec.version}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="sub">Cassettes <code>${esc(report.cassettes)}</code> · spec <code>${esc(spec.source)}</code> · ${esc(report.createdBy)}</p>
<div class="cards">${cards}</div>
</header>
<main>
<div class="toolbar" role="toolbar" aria-label="Filter by tag">${toolbar}</div>
<div class="legend"><span><i class="s-covered"></i>covered</span><span><i class="s-error"></i>drift (errors)</span><span><i class="s-warning"></i>drift (warnings only)</span><span><i class="s-missing"></i>missing</span><span><i class="s-unknown"></i>not in the spec</span></div>
${problems(report)}
${[...byTag].map(([tag, ops]) => tagSection(tag, ops)).join('\n')}
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

function card(value: string, label: string, tone = ''): string {
  return `<div class="card${tone ? ` ${tone}` : ''}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

function problems(report: LintReport): string {
  if (report.inputProblems.length === 0) return '';
  const items = report.inputProblems.map((p) => `<li><code>${esc(p.file)}</code> ${esc(p.message)}</li>`).join('');
  return `<section class="tag problems" data-tag="cassettes"><h2>Malformed cassettes</h2><ul>${items}</ul></section>`;
}

function tone(op: OperationReport): string {
  if (op.status === 'drift') return op.severity === 'error' ? 's-error' : 's-warning';
  return `s-${op.status}`;
}

function anchor(op: OperationReport, index: number): string {
  return `op-${(op.operationId ?? `${op.method}-${op.path}`).replace(/[^A-Za-z0-9_-]/g, '_')}-${index}`;
}

function tagSection(tag: string, ops: OperationReport[]): string {
  const count = (status: string): number => ops.filter((op) => tone(op) === status).length;
  const known = tag !== UNKNOWN_TAG;
  const recorded = ops.filter((op) => op.status !== 'missing').length;
  const width = (n: number): string => `${((n / ops.length) * 100).toFixed(2)}%`;
  const bar = ['s-covered', 's-warning', 's-error', 's-unknown']
    .map((s) => (count(s) > 0 ? `<span class="${s}" style="width:${width(count(s))}"></span>` : ''))
    .join('');
  const tiles = ops
    .map((op, i) => {
      const label = op.operationId ?? `${op.method} ${op.path}`;
      const hint = `${op.method} ${op.path} — ${op.status}${op.interactions > 0 ? `, ${plural(op.interactions, 'interaction')}` : ''}`;
      const href = op.findings.length > 0 ? ` href="#${anchor(op, i)}"` : '';
      return `<a class="op ${tone(op)}"${href} title="${esc(hint)}" data-operation="${esc(label)}">${esc(label)}</a>`;
    })
    .join('');
  const details = ops.map((op, i) => (op.findings.length > 0 ? findingsOf(op, anchor(op, i)) : '')).join('');
  const heading = known ? `${recorded}/${ops.length} covered` : `${plural(ops.length, 'recorded operation')} the spec does not have`;
  return `<section class="tag" data-tag="${esc(tag)}">
<h2>${esc(tag)} <small>${esc(heading)}</small></h2>
<div class="bar">${bar}</div>
<div class="map">${tiles}</div>
${details}
</section>`;
}

function findingsOf(op: OperationReport, id: string): string {
  const count = op.findings.reduce((n, g) => n + g.count, 0);
  const rows = op.findings.map(row).join('');
  return `<details id="${id}"><summary><b>${esc(op.operationId ?? '(no operation id)')}</b> <code>${esc(`${op.method} ${op.path}`)}</code> — ${plural(count, 'finding')} in ${plural(op.interactions, 'interaction')}</summary>
<table><thead><tr><th>severity</th><th>side</th><th>kind</th><th>path</th><th>count</th><th>message</th><th>example</th><th>where</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function row(group: FindingGroup): string {
  const value = group.example.value === undefined ? '' : JSON.stringify(group.example.value);
  return `<tr><td class="sev-${group.severity}">${group.severity}</td><td>${group.side}</td><td>${group.kind}</td><td><code>${esc(group.path || '(whole)')}</code></td><td>×${group.count}</td><td>${esc(group.message)}</td><td><code>${esc(value)}</code></td><td class="places">${esc(describePlaces(group.places, PLACES_SHOWN))}</td></tr>`;
}
