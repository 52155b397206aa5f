import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/index.js';
import { cleanReport, handReport } from './support/lint-report-fixture.js';

/** The page between `<main>` and `</main>`, and the parts around it (the style and the script are left out). */
function parts(html: string): { head: string; main: string; style: string; script: string } {
  const at = (open: string, close: string): string => html.slice(html.indexOf(open) + open.length, html.indexOf(close));
  return { head: at('<head>\n', '<main>\n'), main: at('<main>\n', '</main>'), style: at('<style>', '</style>'), script: at('<script>', '</script>') };
}

const TABLE_HEAD =
  '<table><thead><tr><th>severity</th><th>side</th><th>kind</th><th>path</th><th>count</th><th>message</th><th>example</th><th>where</th></tr></thead><tbody>';

describe('the HTML lint report, on a report written by hand', () => {
  it('heads the page with the title, the sources, the cards and an offline content security policy', () => {
    const { head } = parts(renderReport(handReport(), 'html'));
    expect(head.replace(/<style>[^]*<\/style>/, '<style/>')).toBe(
      [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
        '<title>appwrite-vcr lint — Appwrite 1.5.0</title>',
        '<style/>',
        '</head>',
        '<body>',
        '<header>',
        '<h1>appwrite-vcr lint — Appwrite 1.5.0</h1>',
        '<p class="sub">Cassettes <code>cassettes</code> · spec <code>spec.json</code> · appwrite-vcr/0.0.0</p>',
        '<div class="cards"><div class="card"><b>7</b><span>interactions in 3 files</span></div><div class="card"><b>2/4</b><span>operations covered (50%)</span></div><div class="card"><b>4</b><span>errors</span></div><div class="card"><b>2</b><span>warnings</span></div><div class="card fail"><b>input problem</b><span>--fail-on error</span></div></div>',
        '</header>',
        '',
      ].join('\n'),
    );
    const clean = parts(renderReport(cleanReport(), 'html')).head;
    expect(clean).toContain('<div class="cards"><div class="card"><b>1</b><span>interactions in 1 file</span></div>');
    expect(clean).toContain('<div class="card pass"><b>pass</b><span>--fail-on error</span></div></div>');
    const report = handReport();
    const failed = parts(renderReport({ ...report, summary: { ...report.summary, malformedFiles: 0 } }, 'html')).head;
    expect(failed).toContain('<div class="card fail"><b>fail</b><span>--fail-on error</span></div></div>');
  });

  it('maps every operation by tag with its colour, links the ones with findings to their table, and lists the malformed files', () => {
    expect(parts(renderReport(handReport(), 'html')).main).toBe(
      [
        '<div class="toolbar" role="toolbar" aria-label="Filter by tag"><button type="button" data-filter="*">All tags</button><button type="button" data-filter="users">users</button><button type="button" data-filter="health">health</button><button type="button" data-filter="teams">teams</button><button type="button" data-filter="not in the spec">not in the spec</button></div>',
        '<div class="legend"><span><i class="s-covered"></i>covered</span><span><i class="s-error"></i>drift (errors)</span><span><i class="s-warning"></i>drift (warnings only)</span><span><i class="s-missing"></i>missing</span><span><i class="s-unknown"></i>not in the spec</span></div>',
        '<section class="tag problems" data-tag="cassettes"><h2>Malformed cassettes</h2><ul><li><code>broken.json</code> invalid JSON at line 1, column 80</li></ul></section>',
        '<section class="tag" data-tag="users">',
        '<h2>users <small>1/2 covered</small></h2>',
        '<div class="bar"><span class="s-error" style="width:50.00%"></span></div>',
        '<div class="map"><a class="op s-error" href="#op-usersGet-0" title="GET /users/{userId} — drift, 3 interactions" data-operation="usersGet">usersGet</a><a class="op s-missing" title="DELETE /users/{userId} — missing" data-operation="usersDelete">usersDelete</a></div>',
        '<details id="op-usersGet-0"><summary><b>usersGet</b> <code>GET /users/{userId}</code> — 4 findings in 3 interactions</summary>',
        `${TABLE_HEAD}<tr><td class="sev-error">error</td><td>response</td><td>type-mismatch</td><td><code>/status</code></td><td>×3</td><td>must be boolean</td><td><code>&quot;yes&quot;</code></td><td class="places">a.json #0, #2; b/c.json #5</td></tr><tr><td class="sev-warning">warning</td><td>response</td><td>field-undeclared</td><td><code>/nickname</code></td><td>×1</td><td>field not in the spec</td><td><code></code></td><td class="places">a.json #0</td></tr></tbody></table></details>`,
        '</section>',
        '<section class="tag" data-tag="health">',
        '<h2>health <small>1/1 covered</small></h2>',
        '<div class="bar"><span class="s-warning" style="width:100.00%"></span></div>',
        '<div class="map"><a class="op s-warning" href="#op-healthGet-0" title="GET /health — drift, 1 interaction" data-operation="healthGet">healthGet</a></div>',
        '<details id="op-healthGet-0"><summary><b>healthGet</b> <code>GET /health</code> — 1 finding in 1 interaction</summary>',
        `${TABLE_HEAD}<tr><td class="sev-warning">warning</td><td>request</td><td>parameter-unknown</td><td><code>query.x</code></td><td>×1</td><td>unknown query parameter &quot;x&quot;</td><td><code>&quot;1&quot;</code></td><td class="places">b/c.json #1</td></tr></tbody></table></details>`,
        '</section>',
        '<section class="tag" data-tag="teams">',
        '<h2>teams <small>0/1 covered</small></h2>',
        '<div class="bar"></div>',
        '<div class="map"><a class="op s-missing" title="GET /teams — missing" data-operation="teamsList">teamsList</a></div>',
        '',
        '</section>',
        '<section class="tag" data-tag="not in the spec">',
        '<h2>not in the spec <small>1 recorded operation the spec does not have</small></h2>',
        '<div class="bar"><span class="s-unknown" style="width:100.00%"></span></div>',
        '<div class="map"><a class="op s-unknown" href="#op-GET-_v1_nope-0" title="GET /v1/nope — unknown, 1 interaction" data-operation="GET /v1/nope">GET /v1/nope</a></div>',
        '<details id="op-GET-_v1_nope-0"><summary><b>(no operation id)</b> <code>GET /v1/nope</code> — 1 finding in 1 interaction</summary>',
        `${TABLE_HEAD}<tr><td class="sev-error">error</td><td>request</td><td>operation-unknown</td><td><code>(whole)</code></td><td>×1</td><td>GET /v1/nope matches no operation</td><td><code></code></td><td class="places">a.json #0</td></tr></tbody></table></details>`,
        '</section>',
        '',
      ].join('\n'),
    );
  });

  it('colours the bar by share, counts several unknown operations, and anchors each tile by its position', () => {
    const report = cleanReport();
    const covered = report.operations[0]!;
    const unknown = { ...covered, operationId: null, tag: null, status: 'unknown' as const, path: '/v1/x' };
    report.operations = [
      covered,
      { ...covered, operationId: 'healthGetDb', status: 'missing', interactions: 0 },
      { ...covered, operationId: 'healthGetCache' },
      unknown,
      unknown,
    ];
    const { main } = parts(renderReport(report, 'html'));
    expect(main).toContain('<h2>health <small>2/3 covered</small></h2>\n<div class="bar"><span class="s-covered" style="width:66.67%"></span></div>');
    expect(main).toContain('<h2>not in the spec <small>2 recorded operations the spec does not have</small></h2>');
    expect(main).toContain('<div class="map"><a class="op s-unknown" title="GET /v1/x — unknown, 1 interaction" data-operation="GET /v1/x">GET /v1/x</a>');
    expect(main).toContain('<span><i class="s-unknown"></i>not in the spec</span></div>\n\n<section class="tag" data-tag="health">');
    report.inputProblems = [
      { file: 'a.json', message: 'one' },
      { file: 'b.json', message: 'two' },
    ];
    expect(parts(renderReport(report, 'html')).main).toContain('<ul><li><code>a.json</code> one</li><li><code>b.json</code> two</li></ul>');
  });

  it('escapes what a cassette holds and carries its style and tag filter inline', () => {
    const report = handReport();
    const hostile = '</td><script>alert("x")</script> & \'q\' \u0001';
    report.operations[0]!.findings[0]!.message = hostile;
    report.inputProblems[0]!.file = hostile;
    const html = renderReport(report, 'html');
    const escaped = '&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos; \uFFFD';
    expect(html).toContain(`<td>${escaped}</td>`);
    expect(html).toContain(`<li><code>${escaped}</code> invalid JSON`);
    expect(html.match(/<script>/g)).toHaveLength(1);
    const { style, script } = parts(html);
    expect(style).toContain('.op { display: inline-block;');
    expect(style).toContain('.s-error { background: var(--error); }');
    expect(script).toContain("document.querySelectorAll('[data-filter]')");
    expect(script).toContain("show('*');");
  });
});
