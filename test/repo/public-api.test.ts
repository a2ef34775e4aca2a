/**
 * The public API is a deliberate list (issue 11 item 3): parsing internals stay inside the library.
 * (The rest of src/index.ts still re-exports whole layers; see the header of src/index.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../src/index.js';
import type { TreeDocument } from '../../src/index.js';

test('internals are not exported: the line splitter, the prefix reader, the model\'s clone bits', () => {
  for (const name of ['LineSplitter', 'parsePrefix', 'CLONE_FLAG_BITS']) assert.ok(!(name in api), `${name} is internal`);
  for (const name of ['StraceParser', 'parseFile', 'parseFileSync', 'TaskGraph', 'buildTree', 'ERROR_CODES', 'TasklensError']) assert.ok(name in api, `${name} is public`);
});

test('buildTree returns the exported TreeDocument', () => {
  const graph = new api.TaskGraph();
  for (const event of api.parseText('100 execve("/bin/true", ["true"], 0x7ffd /* 1 var */) = 0\n100 exit_group(0) = ?\n100 +++ exited with 0 +++\n')) graph.apply(event);
  const doc: TreeDocument = api.buildTree(graph.finish());
  assert.deepEqual(doc, api.treeToJSON(graph));
});
