/**
 * From a code address in the target to the ELF file that holds it: the mapping from /proc/PID/maps,
 * the parsed file (through /proc/PID/root, so files in another mount namespace are the right ones),
 * and the load bias that turns run-time addresses into the file's own virtual addresses. The vdso has
 * no file: its image is copied out of the target's memory.
 */
import { basename } from 'node:path';
import { loadBias } from './elf/elf.js';
import { elfImageFromBuffer, openElfImage, type ElfImage } from './elf/image.js';
import type { AddressSpace, Mapping } from './maps.js';
import type { RemoteMemory } from './memory.js';

export interface LoadedModule {
  /** Path as the target sees it, or `[vdso]`. */
  path: string;
  name: string;
  image: ElfImage;
  /** Run-time address minus file virtual address. */
  bias: bigint;
}

export class ModuleResolver {
  private readonly byMapping = new Map<Mapping, LoadedModule | null>();

  /** `procDir`: /proc/PID, or /proc/PID/task/TID of a live thread when the leader has exited (its root link is gone). */
  constructor(
    private readonly pid: number,
    private readonly procDir: string,
    private readonly space: AddressSpace,
    private readonly memory: RemoteMemory,
    private readonly debugRoot?: string,
  ) {}

  /** The module mapped at `address` if it is executable code from an ELF file (or the vdso). */
  moduleAt(address: bigint): LoadedModule | undefined {
    const mapping = this.space.find(address);
    if (!mapping) return undefined;
    const known = this.byMapping.get(mapping);
    if (known !== undefined) return known ?? undefined;
    const loaded = this.load(mapping);
    this.byMapping.set(mapping, loaded ?? null);
    return loaded;
  }

  private load(mapping: Mapping): LoadedModule | undefined {
    if (mapping.path === '[vdso]') return this.loadVdso(mapping);
    if (!mapping.path.startsWith('/')) return undefined;
    const { deleted, path } = mapping; // a deleted file is still readable through map_files
    const openPath = deleted
      ? `/proc/${this.pid}/map_files/${mapping.start.toString(16)}-${mapping.end.toString(16)}`
      : `${this.procDir}/root${path}`;
    const image =
      openElfImage(path, { openPath, identity: `${mapping.dev}:${mapping.inode}`, debugRoot: this.debugRoot }) ??
      (deleted ? undefined : openElfImage(path, { identity: `${mapping.dev}:${mapping.inode}:direct`, debugRoot: this.debugRoot }));
    if (!image) return undefined;
    const bias = loadBias(image.elf, mapping.start, mapping.offset);
    return bias === undefined ? undefined : { path, name: basename(path), image, bias };
  }

  private loadVdso(mapping: Mapping): LoadedModule | undefined {
    const bytes = this.memory.read(mapping.start, Number(mapping.end - mapping.start));
    if (!bytes) return undefined;
    const image = elfImageFromBuffer('[vdso]', Buffer.from(bytes));
    if (!image) return undefined;
    const bias = loadBias(image.elf, mapping.start, 0n);
    return bias === undefined ? undefined : { path: '[vdso]', name: '[vdso]', image, bias };
  }
}
