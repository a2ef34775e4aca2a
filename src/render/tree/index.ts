/** Renderers of the process/thread tree: text for terminals and files, and a JSON document. */
export { renderTreeText, renderTreeDocument, commandText, BIRTH_LABELS, type TreeTextOptions } from './text.js';
export { treeToJSON } from './json.js';
export { buildTree } from './build.js';
export type * from './build.js';
