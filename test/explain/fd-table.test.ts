/** The descriptor table behaves as a Map keyed by fd number (dense small numbers, sparse others). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdTable } from '../../src/explain/fd-table.js';

test('FdTable: get/set/delete/size like a Map, iteration in numeric order, odd numbers kept apart', () => {
  const t = new FdTable<string>();
  const model = new Map<number, string>();
  let seed = 7;
  const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const numbers = [0, 1, 2, 3, 4, 5, 63, 64, 4095, 4096, 70000, 1 << 20, -100, -1];
  for (let i = 0; i < 20000; i++) {
    const fd = numbers[rand(numbers.length)];
    if (rand(3) === 0) assert.equal(t.delete(fd), model.delete(fd));
    else {
      t.set(fd, `v${i}`);
      model.set(fd, `v${i}`);
    }
    assert.equal(t.size, model.size);
    assert.equal(t.get(fd), model.get(fd));
    assert.equal(t.has(fd), model.has(fd));
  }
  const sorted = [...model.entries()].sort((a, b) => a[0] - b[0]);
  assert.deepEqual([...t], sorted);
  assert.deepEqual([...t.keys()], sorted.map(([k]) => k));
  assert.deepEqual([...t.values()], sorted.map(([, v]) => v));
  // Deleting while iterating (as exec does with close-on-exec descriptors) is safe.
  for (const [fd] of t) t.delete(fd);
  assert.equal(t.size, 0);
  assert.deepEqual([...t], []);
  t.set(3, 'x');
  t.clear();
  assert.equal(t.get(3), undefined);
  assert.equal(t.size, 0);
});
