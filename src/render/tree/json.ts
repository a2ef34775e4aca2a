/** The tree as one JSON-ready document (plain data: numbers, strings, arrays; no bigint). */
import type { TaskGraph } from '../../model/graph.js';
import { buildTree, type TreeDocument } from './build.js';

/** The process/thread tree of a graph as a JSON-serialisable object (call `graph.finish()` first). */
export function treeToJSON(graph: TaskGraph): TreeDocument {
  return buildTree(graph);
}
