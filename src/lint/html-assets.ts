/** Inline style of the HTML report: no file, font or image is fetched when it is viewed. */
export const HTML_STYLE = `
:root { --covered: #2e9d57; --error: #d64545; --warning: #d98e04; --missing: #c9ced6; --unknown: #7e57c2; --ink: #1f2430; --soft: #5d6575; --line: #e3e6eb; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 20px 28px 16px; }
h1 { margin: 0 0 4px; font-size: 20px; }
.sub { color: var(--soft); margin: 0; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 14px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 20px; }
.card span { color: var(--soft); font-size: 12px; }
.card.fail b { color: var(--error); } .card.pass b { color: var(--covered); }
main { padding: 16px 28px 40px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 10px; }
.toolbar button { border: 1px solid var(--line); background: #fff; border-radius: 999px; padding: 3px 12px; cursor: pointer; font: inherit; font-size: 13px; }
.toolbar button[aria-pressed="true"] { background: var(--ink); color: #fff; border-color: var(--ink); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; color: var(--soft); font-size: 12px; margin: 6px 0 14px; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; }
section.tag { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; margin-bottom: 14px; }
section.tag[hidden] { display: none; }
section.tag h2 { margin: 0; font-size: 16px; display: flex; gap: 12px; align-items: baseline; }
section.tag h2 small { color: var(--soft); font-weight: normal; font-size: 12px; }
.bar { height: 6px; border-radius: 3px; background: var(--missing); overflow: hidden; margin: 8px 0 10px; display: flex; }
.bar span { display: block; height: 100%; }
.map { display: flex; flex-wrap: wrap; gap: 4px; }
.op { display: inline-block; padding: 2px 7px; border-radius: 4px; font-size: 11px; text-decoration: none; color: #fff; white-space: nowrap; }
.s-covered { background: var(--covered); } .s-error { background: var(--error); } .s-warning { background: var(--warning); }
.s-missing { background: var(--missing); color: #3c4250; } .s-unknown { background: var(--unknown); }
details { border-top: 1px solid var(--line); padding: 6px 0; }
details:first-of-type { margin-top: 10px; }
summary { cursor: pointer; }
summary code { font-size: 12px; color: var(--soft); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 4px; font-size: 12px; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 6px; vertical-align: top; }
th { color: var(--soft); font-weight: 600; }
td.sev-error { color: var(--error); font-weight: 600; } td.sev-warning { color: var(--warning); font-weight: 600; }
td code, .places { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11px; word-break: break-all; }
.places { color: var(--soft); }
.problems li { margin: 4px 0; }
.problems code { color: var(--error); }
`;

/** Inline script of the HTML report: the tag filter, and opening an operation's findings from its tile. */
export const HTML_SCRIPT = `
(function () {
  var buttons = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.tag'));
  function show(tag) {
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === tag)); });
    sections.forEach(function (s) { s.hidden = tag !== '*' && s.getAttribute('data-tag') !== tag; });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { show(b.getAttribute('data-filter')); }); });
  document.addEventListener('click', function (event) {
    var tile = event.target.closest && event.target.closest('a.op[href^="#"]');
    if (!tile) return;
    var target = document.getElementById(tile.getAttribute('href').slice(1));
    if (target && target.tagName === 'DETAILS') target.open = true;
  });
  show('*');
})();
`;
