/**
 * The `-c`/`-C` summary table strace prints at exit: a header naming the columns (they vary with
 * `-U` and strace's version), separators, one row per syscall and a total. The errors column is
 * blank when zero, so rows are aligned from the header.
 */
import type { SummaryRowEvent } from './types.js';

/** Column words of the `-c` summary header (including the `-U` names and 7.x wall-clock columns). */
const SUMMARY_HEADER = /^\s*(% time|seconds|usecs\/call|calls|errors|syscall|total-time|min-time|max-time|avg-time|shortest|longest|wall-total|wall-min|wall-max|wall-avg|% wall)(\s+(% time|seconds|usecs\/call|calls|errors|syscall|total-time|min-time|max-time|avg-time|shortest|longest|wall-total|wall-min|wall-max|wall-avg|% wall))*\s*$/;
const SUMMARY_SEPARATOR = /^[- ]+$/;
const SUMMARY_TITLE = /^System call usage summary for .* mode:$/;
const COLUMN_KEYS: Record<string, string> = { '% time': 'percent', seconds: 'seconds', 'usecs/call': 'usecsPerCall', calls: 'calls', errors: 'errors', syscall: 'syscall' };

export class SummaryTable {
  private columns: string[] | null = null;

  /** Whether a table header was seen and rows are expected. */
  get active(): boolean {
    return this.columns !== null;
  }

  /** The row `text` is, or undefined when it is not part of a summary table (which ends the table). */
  line(text: string, lineNo: number, raw: string, source: string | undefined): SummaryRowEvent | undefined {
    const base = { kind: 'summary-row' as const, line: lineNo, raw, prefix: {}, source };
    if (SUMMARY_TITLE.test(text)) return { ...base, row: 'title' };
    if (SUMMARY_HEADER.test(text)) {
      this.columns = text.trim().split(/\s+/).reduce<string[]>((cols, word) => {
        if (word === 'time' && cols[cols.length - 1] === '%') cols[cols.length - 1] = '% time';
        else if (word === 'wall' && cols[cols.length - 1] === '%') cols[cols.length - 1] = '% wall';
        else cols.push(word);
        return cols;
      }, []);
      return { ...base, row: 'header' };
    }
    const columns = this.columns;
    if (columns === null) return undefined;
    if (SUMMARY_SEPARATOR.test(text) && text.includes('---')) return { ...base, row: 'separator' };
    const cells = text.trim().split(/\s+/);
    const nameIndex = columns.indexOf('syscall');
    // The errors column is blank when zero: align from both ends around it.
    if (cells.length !== columns.length && !(columns.includes('errors') && cells.length === columns.length - 1)) {
      this.columns = null;
      return undefined;
    }
    const record: Record<string, string> = {};
    const missingErrors = cells.length === columns.length - 1;
    let k = 0;
    for (const col of columns) {
      if (col === 'errors' && missingErrors) {
        record[col] = '';
        continue;
      }
      record[col] = cells[k++];
    }
    const syscall = nameIndex >= 0 ? record.syscall : cells[cells.length - 1];
    if (syscall === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(syscall)) {
      this.columns = null;
      return undefined;
    }
    const event: SummaryRowEvent = { ...base, row: syscall === 'total' ? 'total' : 'data', syscall, columns: record };
    for (const [col, key] of Object.entries(COLUMN_KEYS)) {
      const value = record[col];
      if (value === undefined || key === 'syscall') continue;
      const num = value === '' ? 0 : Number(value);
      if (key === 'calls') event.calls = num;
      else if (key === 'errors') event.errors = num;
      else if (key === 'seconds') event.seconds = num;
      else if (key === 'percent') event.percent = num;
    }
    return event;
  }
}
