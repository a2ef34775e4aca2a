/**
 * A snapshot as one line of JSON. Addresses and register values are 64-bit: they become hex strings
 * ("0x7f3a..."), which is how people read them and how JSON keeps them exact.
 */
import type { Snapshot } from '../../ptrace/snapshot.js';
import { jsonSafe } from '../escape.js';

export function renderSnapshotJson(snapshot: Snapshot): string {
  return `${jsonSafe(JSON.stringify(snapshot, (_key, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value)))}\n`;
}
