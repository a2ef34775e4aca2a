/**
 * The report as one self-contained HTML file: inline style and script, the data in non-executed
 * `<script type="application/octet-stream">` islands (gzip, base64), and a Content-Security-Policy that allows only that one
 * inline script (by its hash), no network of any kind, no forms, no base URL. So the page opens from
 * disk with no network, and markup smuggled through a missed escape could not run anyway.
 *
 * Escaping: the page's markup holds no log text at all except the title and notes (HTML-escaped).
 * The data (JSON with every `<` written as `\u003c` and U+2028/U+2029 escaped, in case it is ever
 * read as is), the call columns and the details are gzip'd and base64'd: letters, digits and `+/=`
 * only, so nothing in them can end or confuse the element they sit in. The page's own script reads
 * them with DecompressionStream and builds the DOM with textContent.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { COLUMN_LAYOUT, packColumns } from '../columns.js';
import { perfettoChunks } from '../perfetto.js';
import type { ReportData } from '../types.js';
import { REPORT_CSS } from './style.js';
import { REPORT_JS } from './client.js';

/** HTML text escaping for the few strings placed in markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** JSON for a `<script type="application/json">` island: nothing in it can end the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The page's Content-Security-Policy for a script body. */
export function reportCsp(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'`;
}

/** Details per separately compressed chunk. */
const DETAIL_CHUNK = 2000;

/** Compressed Perfetto traces up to this size ride in the page for its download button. */
const EMBEDDED_TRACE_MAX = 3 * 1024 * 1024;

/**
 * The whole report page. The Perfetto trace (Trace Event JSON) is embedded for the page's download
 * button when it compresses to 3 MiB or less (`embedTrace: false` leaves it out); beyond that the
 * page names the `--perfetto` option instead.
 */
export function renderReportHtml(data: ReportData, options: { embedTrace?: boolean } = {}): string {
  const { calls, details, ...rest } = data;
  const island = gzipBase64(jsonForScript({ ...rest, detailChunk: DETAIL_CHUNK, calls: { count: calls.count, layout: COLUMN_LAYOUT.map(({ name, type, delta }) => ({ name, type, ...(delta ? { delta } : {}) })) } }));
  const callBytes = packColumns(calls).toString('base64');
  // Details in chunks the page unpacks one at a time, when a line of theirs is shown.
  const detailParts: string[] = [];
  for (let i = 0; i < details.length; i += DETAIL_CHUNK) detailParts.push(gzipBase64(JSON.stringify(details.slice(i, i + DETAIL_CHUNK))));
  const detailBytes = detailParts.join('.');
  let traceBytes = '';
  if (options.embedTrace !== false && calls.count <= 400_000) {
    const gz = gzipSync(Buffer.from([...perfettoChunks(data)].join(''), 'utf8'), { level: 6 });
    if (gz.length <= EMBEDDED_TRACE_MAX) traceBytes = gz.toString('base64');
  }
  const stats = data.stats;
  const statLine = `${stats.processes} processes, ${stats.tasks} tasks, ${stats.syscalls} calls, ${stats.events} events${data.timeUnit === 'us' ? `, ${formatSpan(data.span)}` : ''}`;
  // The script's text is hashed exactly as it appears between its tags.
  const script = REPORT_JS;
  return [
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportCsp(script))}">\n`,
    '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    '<meta name="generator" content="tasklens report">\n',
    `<title>${escapeHtml(data.title)} (tasklens report)</title>\n`,
    `<style>${REPORT_CSS}</style>\n</head>\n<body data-state="loading">\n`,
    `<header><h1>${escapeHtml(data.title)}</h1><div class="stats">${escapeHtml(statLine)}</div>`,
    data.notes.length > 0 ? `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '',
    '</header>\n<div id="error"></div>\n<main>\n<div id="timeline-pane">\n<div class="toolbar">',
    '<button id="zoom-in" type="button" title="zoom in (+; Ctrl+wheel)">+</button>',
    '<button id="zoom-out" type="button" title="zoom out (-)">\u2212</button>',
    '<button id="zoom-fit" type="button" title="whole trace (0)">fit</button>',
    '<input id="search" type="search" placeholder="find a task (tid, name, command)" size="30" title="Enter goes to the next match">',
    '<span class="note">drag to pan, wheel to scroll, Ctrl+wheel to zoom, click for details</span><span id="arrow-note" class="note"></span>',
    '<span class="legend"><span><i style="background:#d8efd2"></i>process</span><span><i style="background:#cfe3f7"></i>thread</span>',
    '<span><i style="background:#4a78b5"></i>call</span><span><i style="background:#9fb4c9"></i>interrupted</span><span><i style="background:#c8372d"></i>failed / killed</span>',
    '<span><i style="background:#2e8b57"></i>birth, fork</span><span><i style="background:#7a4fb5"></i>exec</span>',
    '<span><i style="background:#d98a00"></i>signal</span><span><i style="background:#555"></i>exit</span></span>',
    '</div>\n<div id="timeline"></div>\n</div>\n<aside>\n',
    '<section><h2>Details</h2><div id="details"></div></section>\n',
    '<section><h2>Process tree</h2><div id="tree"></div></section>\n',
    '<section><h2>Doctor findings</h2><div id="findings"></div></section>\n',
    '<section><h2>Top failures</h2><div id="failures"></div></section>\n',
    '<section><h2>Calls per task</h2><div id="counts"><p class="note">Click a lane to count its calls.</p></div><div id="top-tasks"></div></section>\n',
    '<section><h2>Perfetto</h2><p><button id="trace-download" type="button">Download the trace (Trace Event JSON)</button></p>',
    '<p class="note">Open it in ui.perfetto.dev (Open trace file; nothing is uploaded) or chrome://tracing. From the command line: tasklens report LOG --perfetto trace.json.</p></section>\n',
    '</aside>\n</main>\n<div id="tooltip"></div>\n',
    `<script type="application/octet-stream" id="tl-data">${island}</script>\n`,
    `<script type="application/octet-stream" id="tl-calls">${callBytes}</script>\n`,
    `<script type="application/octet-stream" id="tl-details">${detailBytes}</script>\n`,
    `<script type="application/octet-stream" id="tl-trace">${traceBytes}</script>\n`,
    `<script>${script}</script>\n</body>\n</html>\n`,
  ].join('');
}

/** Text gzip'd then base64'd: letters, digits and `+/=` only, inert in any HTML context. */
function gzipBase64(text: string): string {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 6 }).toString('base64');
}

function formatSpan(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(3)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(3)} ms`;
  return `${us.toFixed(0)} µs`;
}
