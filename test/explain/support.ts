/** Explains a small hand-written log (lines as strace -f -o prints them). */
import { parseText } from '../../src/parse/index.js';
import { explainAll, type ExplainedEvent, type ExplainSummary } from '../../src/explain/index.js';

export function explainLog(text: string): { items: ExplainedEvent[]; summary: ExplainSummary; at(line: number): ExplainedEvent } {
  const { items, summary } = explainAll(parseText(text.replace(/^\s+/gm, '')));
  const at = (line: number): ExplainedEvent => {
    const item = items.find((i) => i.event.line === line);
    if (!item) throw new Error(`no event at line ${line}`);
    return item;
  };
  return { items, summary, at };
}

/** The text of the explanation of the event on a line. */
export function textAt(log: ReturnType<typeof explainLog>, line: number): string {
  return log.at(line).explanation?.text ?? '';
}
