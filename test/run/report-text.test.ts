/** The end-of-run summary's reasons for each process killed after the stop timeout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderRunReport, type RunReport } from '../../src/index.js';
import { palette } from '../../src/render/color.js';

test('a killed process tasklens did not signal is not said to have "never got" the signal; its ignoring it is named', () => {
  const report: RunReport = {
    command: ['./shutdown', 'forward'], pid: 100, exitCode: 137, subreaper: true, requestedLimits: [], processesSeen: 4, reaped: [], forwarded: [], leftRunning: [], durationMs: 900,
    outcome: { kind: 'killed', signal: 9, core: false },
    stop: {
      signal: 'SIGTERM', atMs: 400, timeoutMs: 400, escalatedAtMs: 800,
      killed: [
        { pid: 100, ppid: 1, comm: 'shutdown', gotStopSignal: true, stopSignalDisposition: 'caught', stopSignalBlocked: true },
        { pid: 103, ppid: 100, comm: 'shutdown', gotStopSignal: false, stopSignalDisposition: 'ignored', stopSignalBlocked: false },
        { pid: 104, ppid: 100, comm: 'sleep', gotStopSignal: false, stopSignalDisposition: 'default', stopSignalBlocked: false },
      ],
    },
  };
  const text = renderRunReport(report, palette(false));
  assert.match(text, /100 shutdown \(parent 1\): blocks SIGTERM/);
  assert.match(text, /103 shutdown \(parent 100\): not signalled by tasklens \(only the main child, or its process group with --group, is\); it ignores SIGTERM/);
  assert.match(text, /104 sleep \(parent 100\): not signalled by tasklens \(only the main child, or its process group with --group, is\)\n/);
  assert.doesNotMatch(text, /never got/);
});
