/**
 * The task model: processes, threads and their lifecycles, built incrementally from parser events.
 *
 *   import { parseFileSync } from '../parse/index.js';
 *   const graph = TaskGraph.fromEvents(parseFileSync('trace.log'));
 *   for (const p of graph.roots()) console.log(p.tgid, graph.command(p), graph.processEnd(p));
 *
 * Everything the graph holds is plain JSON-ready data (`graph.toJSON()`).
 */
export { TaskGraph } from './graph.js';
export { LogClock } from './clock.js';
export type * from './types.js';
