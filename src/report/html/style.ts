/** The report page's stylesheet (inlined; system fonts only, so nothing is fetched). */
export const REPORT_CSS = `
:root { --bg: #fbfbfa; --fg: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --panel: #ffffff;
  --thread: #cfe3f7; --process: #d8efd2; --call: #4a78b5; --fail: #c8372d; --exec: #7a4fb5; --signal: #d98a00;
  --fork: #2e8b57; --exit: #555; --sel: #ffcf33; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--bg); color: var(--fg);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { padding: 8px 14px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 16px; margin: 0 0 2px; word-break: break-all; }
header .stats { color: var(--muted); }
header .notes { margin: 4px 0 0; padding-left: 18px; color: #8a5a00; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 400px; height: calc(100% - 64px); min-height: 400px; }
#timeline-pane { display: flex; flex-direction: column; min-width: 0; border-right: 1px solid var(--line); }
.toolbar { display: flex; gap: 6px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.toolbar input { font: inherit; padding: 2px 6px; border: 1px solid var(--line); border-radius: 4px; }
.toolbar button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
.toolbar .legend { display: flex; gap: 10px; color: var(--muted); margin-left: auto; flex-wrap: wrap; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: -1px; border-radius: 2px; }
#timeline { position: relative; flex: 1; min-height: 200px; overflow: hidden; cursor: grab; }
#timeline canvas { position: absolute; inset: 0; }
#tooltip { position: fixed; pointer-events: none; background: #222; color: #fff; padding: 4px 7px; border-radius: 4px;
  max-width: 520px; white-space: pre-wrap; word-break: break-all; font-size: 12px; display: none; z-index: 10; }
aside { overflow: auto; background: var(--panel); }
aside section { border-bottom: 1px solid var(--line); padding: 8px 12px; }
aside h2 { font-size: 13px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
#details .empty, .note { color: var(--muted); }
#details .explanation { white-space: pre-wrap; }
#details pre, .raw { white-space: pre-wrap; word-break: break-all; background: #f3f3f1; padding: 6px; margin: 4px 0; font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
#details dt { color: var(--muted); }
#details dd { margin: 0; word-break: break-all; }
#tree ul { list-style: none; margin: 0; padding-left: 14px; }
#tree > ul { padding-left: 0; }
#tree li { margin: 1px 0; }
.link { color: #1b5fae; cursor: pointer; text-decoration: underline; text-decoration-style: dotted; }
.task { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 1px 4px; border-bottom: 1px solid #eee; vertical-align: top; word-break: break-all; }
td.n, th.n { text-align: right; white-space: nowrap; }
.sev-error { color: var(--fail); font-weight: 600; }
.sev-warning { color: #a86200; font-weight: 600; }
#error { color: var(--fail); padding: 20px; display: none; }
`;
