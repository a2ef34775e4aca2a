/**
 * Explanations under a live timeline (`tasklens trace --explain`): wraps an Explainer that shares the
 * caller's task graph and provides the `annotate` hook of TimelineRenderer. Events come out of
 * `push` in log order (a few may be held back briefly while an idiom is being recognised).
 */
import type { TraceEvent } from '../../parse/types.js';
import type { TaskGraph } from '../../model/graph.js';
import { Explainer, type ExplainedEvent, type ExplainSummary } from '../../explain/index.js';
import type { Palette } from '../color.js';
import { renderPatternHeader } from './index.js';
import { termSafe } from '../escape.js';

export class LiveExplanations {
  private readonly explainer: Explainer;
  private readonly palette: Palette;
  private readonly items = new WeakMap<TraceEvent, ExplainedEvent>();

  /** `graph` must already have each event applied when it is pushed. */
  constructor(graph: TaskGraph, options: { palette: Palette }) {
    this.explainer = new Explainer({ graph });
    this.palette = options.palette;
  }

  push(event: TraceEvent): ExplainedEvent[] {
    return this.remember(this.explainer.push(event));
  }

  end(): ExplainedEvent[] {
    return this.remember(this.explainer.end());
  }

  summary(): ExplainSummary {
    return this.explainer.summary();
  }

  /** The text to print under an event: pattern headers starting there, the explanation, benign/failed notes. */
  readonly annotate = (event: TraceEvent): string | undefined => {
    const item = this.items.get(event);
    if (!item) return undefined;
    const c = this.palette;
    const lines: string[] = [];
    for (const p of item.patternsStarting) lines.push(renderPatternHeader(p, c).split('\n').map((l) => `    ${l}`).join('\n'));
    const e = item.explanation;
    if (e) {
      lines.push(`    ${c.dim('↳')} ${termSafe(e.text)}`);
      if (e.benign) lines.push(`      ${c.green(`normal: ${termSafe(e.benign)}`)}`);
      if (e.failure && item.event.kind === 'syscall') lines.push(`      ${c.red(termSafe(`failed: ${e.detail?.find((d) => d.startsWith(`${e.failure}:`)) ?? e.failure}`))}`);
    }
    return lines.length ? lines.join('\n') : undefined;
  };

  private remember(items: ExplainedEvent[]): ExplainedEvent[] {
    for (const item of items) this.items.set(item.event, item);
    return items;
  }
}
