/** Every family table merged into one lookup by syscall name. */
import type { Describe, FamilyTable } from './types.js';
import { PROCESS } from './process.js';
import { THREAD } from './thread.js';
import { MEMORY } from './memory.js';
import { SIGNAL } from './signal.js';
import { SYNC } from './sync.js';
import { FILE } from './file.js';
import { FD } from './fd.js';
import { IO } from './io.js';
import { NETWORK } from './network.js';
import { TIME } from './time.js';
import { RESOURCE } from './resource.js';
import { I386 } from './i386.js';

export const FAMILIES: ReadonlyArray<[string, FamilyTable]> = [
  ['process', PROCESS],
  ['thread', THREAD],
  ['memory', MEMORY],
  ['signal', SIGNAL],
  ['sync', SYNC],
  ['file', FILE],
  ['fd', FD],
  ['io', IO],
  ['network', NETWORK],
  ['time', TIME],
  ['resource', RESOURCE],
  ['i386', I386],
];

const BY_NAME = new Map<string, Describe>();
for (const [, table] of FAMILIES) {
  for (const [name, fn] of Object.entries(table)) {
    if (BY_NAME.has(name)) throw new Error(`explain: ${name} is described by two families`);
    BY_NAME.set(name, fn);
  }
}

/** The argument-aware describer of a syscall, if any family has one. */
export function describerOf(name: string): Describe | undefined {
  return BY_NAME.get(name);
}

/** Names with an argument-aware describer. */
export function describedSyscalls(): string[] {
  return [...BY_NAME.keys()];
}

export type { Describe, Said, Scope, FamilyTable } from './types.js';
