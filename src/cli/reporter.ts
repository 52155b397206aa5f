import { Chalk, type ChalkInstance } from 'chalk';
import { redactUrl } from '../cassette/redact.js';
import { missReason } from '../engine/miss.js';
import type { Summary } from '../engine/summary.js';
import { escapeControls } from '../model/escape-controls.js';
import type { ExchangeEvent } from '../server/http-server.js';

/** Colours only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function makeChalk(stream: NodeJS.WriteStream): ChalkInstance {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  return new Chalk({ level: noColor ? 0 : forced || stream.isTTY ? 1 : 0 });
}

export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  exchange(event: ExchangeEvent): void;
  summary(summary: Summary): void;
}

export function createReporter(options: { quiet: boolean; silent?: boolean }): Reporter {
  const out = process.stdout;
  const err = process.stderr;
  const c = makeChalk(out);
  const ce = makeChalk(err);
  return {
    info: (line) => out.write(`${line}\n`),
    warn: (line) => err.write(`${ce.yellow('warning')} ${escapeControls(line)}\n`),
    error: (line) => err.write(`${ce.red('error')} ${escapeControls(line).replace(/\\u000a/g, '\n')}\n`),
    exchange({ method, url, result, durationMs }) {
      const violations = result.findings.length;
      // A miss that got the miss error is a failure of the run: shown even when quiet.
      if (options.silent || (options.quiet && violations === 0 && !(result.miss && result.source === 'error'))) return;
      const status = result.response.status;
      const colour = status >= 500 ? c.red : status >= 400 ? c.yellow : c.green;
      const mark = violations > 0 ? c.yellow(` ${violations} violation${violations === 1 ? '' : 's'}`) : '';
      out.write(
        `${colour(String(status))} ${escapeControls(method)} ${escapeControls(redactUrl(url))} ${c.dim(`${result.operationId ?? '-'} ${result.source}${result.cassette ? `:${result.cassette}` : ''} ${durationMs.toFixed(1)}ms`)}${mark}\n`,
      );
      if (result.miss) out.write(`    ${c.yellow('no recording matched')}: ${escapeControls(missReason(result.miss))}\n`);
      for (const finding of result.findings) {
        const tone = finding.severity === 'error' ? c.red : c.yellow;
        out.write(
          `    ${tone(finding.severity)} ${finding.side} ${finding.kind} ${escapeControls(finding.path || '(body)')}: ${escapeControls(finding.message)}\n`,
        );
      }
    },
    summary(summary) {
      out.write(`\n${c.bold('Summary')}\n`);
      out.write(
        `  requests ${summary.requests}, cassette hits ${summary.cassetteHits}, fallbacks ${summary.fallbacks}, forwarded ${summary.forwarded}, errors ${summary.errors}\n`,
      );
      out.write(`  request violations ${summary.requestViolations}, response violations ${summary.responseViolations}\n`);
      if (summary.misses > 0) {
        out.write(`  ${c.bold(`misses ${summary.misses}`)} (requests no recording matched)\n`);
        for (const miss of summary.missed) {
          out.write(
            `    ${miss.count > 1 ? `${miss.count}x ` : ''}${redactUrl(miss.request)} (${miss.operationId}) in "${miss.cassette}": ${missReason(miss)}\n`,
          );
        }
        if (summary.missesNotListed > 0) out.write(`    and ${summary.missesNotListed} more not listed\n`);
      }
      const stale = Object.entries(summary.unused);
      if (stale.length > 0) {
        out.write(`  ${c.bold('unused recordings')} (never replayed in this run; see appwrite-vcr prune)\n`);
        for (const [cassette, list] of stale.sort(([a], [b]) => a.localeCompare(b))) {
          out.write(
            `    ${cassette}: ${list.length} - ${list
              .slice(0, 5)
              .map((u) => `#${u.index} ${u.operationId ?? u.request}`)
              .join(', ')}${list.length > 5 ? ', ...' : ''}\n`,
          );
        }
      }
      if (summary.failed) out.write(`  ${c.red('failed')}: ${summary.failure ?? ''}\n`);
      const rows = Object.entries(summary.byOperation).filter(([, t]) => t.requestViolations + t.responseViolations > 0);
      if (rows.length > 0) {
        out.write(`  ${c.bold('violations by operation')}\n`);
        for (const [operation, t] of rows.sort(([a], [b]) => a.localeCompare(b))) {
          out.write(`    ${operation}: ${t.requestViolations} request, ${t.responseViolations} response (of ${t.requests} requests)\n`);
        }
      }
    },
  };
}
