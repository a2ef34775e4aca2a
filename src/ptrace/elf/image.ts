/**
 * One mapped ELF file ready for unwinding and symbolizing: its .eh_frame (always from the binary
 * itself), its symbols (merged with a separate debug file from /usr/lib/debug when one matches), and a
 * cache so that each file is parsed once per process of tasklens, keyed by device, inode and path.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rowAt, type Row } from '../dwarf/cfa.js';
import { EhFrame, ehFramePointer, type Fde, type Section } from '../dwarf/ehframe.js';
import { buildId, cString, findSection, parseElf, PT, sectionData, type ElfFile } from './elf.js';
import { bufferSource, fileSource, type ByteSource } from './source.js';
import { SymbolTable, type SymbolHit } from './symbols.js';

export const DEFAULT_DEBUG_ROOT = '/usr/lib/debug';

export class ElfImage {
  private frame?: EhFrame | null;
  private table?: SymbolTable;
  private debug?: ElfFile | null;
  private readonly rows = new Map<bigint, { fde: Fde; row: Row } | null>();
  private readonly symbolHits = new Map<bigint, SymbolHit | null>();
  readonly buildId?: string;

  constructor(
    readonly path: string,
    readonly elf: ElfFile,
    private readonly debugRoot: string | undefined,
  ) {
    this.buildId = buildId(elf);
  }

  /**
   * The FDE and unwind row for a file address, memoized: the threads of one program mostly stand at the
   * same few pcs (1,000 threads blocked in pthread_cond_wait share every one).
   */
  unwindRowAt(filePc: bigint): { fde: Fde; row: Row } | undefined {
    let hit = this.rows.get(filePc);
    if (hit === undefined) {
      const fde = this.ehFrame()?.findFde(filePc);
      const row = fde && rowAt(fde, filePc);
      hit = fde && row ? { fde, row } : null;
      this.rows.set(filePc, hit);
    }
    return hit ?? undefined;
  }

  /** The symbol containing a file address, memoized like unwindRowAt. */
  symbolAt(filePc: bigint): SymbolHit | undefined {
    let hit = this.symbolHits.get(filePc);
    if (hit === undefined) {
      hit = this.symbols().lookup(filePc) ?? null;
      this.symbolHits.set(filePc, hit);
    }
    return hit ?? undefined;
  }

  /** Call-frame information, or undefined if the file has none. */
  ehFrame(): EhFrame | undefined {
    if (this.frame === undefined) this.frame = loadEhFrame(this.elf) ?? null;
    return this.frame ?? undefined;
  }

  symbols(): SymbolTable {
    if (!this.table) {
      const debug = this.debugFile();
      this.table = SymbolTable.fromElfs(debug ? [this.elf, debug] : [this.elf]);
    }
    return this.table;
  }

  /** The separate debug file, found by build-id or .gnu_debuglink (gdb's search order), if installed. */
  debugFile(): ElfFile | undefined {
    if (this.debug === undefined) this.debug = this.debugRoot ? findDebugFile(this, this.debugRoot) ?? null : null;
    return this.debug ?? undefined;
  }

  close(): void {
    this.elf.source.close();
    if (this.debug) this.debug.source.close();
  }
}

function loadEhFrame(elf: ElfFile): EhFrame | undefined {
  const frameSection = findSection(elf, '.eh_frame');
  const hdrSection = findSection(elf, '.eh_frame_hdr');
  const hdr = hdrSection ? section(hdrSection.addr, sectionData(elf, hdrSection)) : segmentHdr(elf);
  if (frameSection) {
    const frame = section(frameSection.addr, sectionData(elf, frameSection));
    return frame ? new EhFrame(frame, hdr) : undefined;
  }
  // Section headers stripped: .eh_frame_hdr (PT_GNU_EH_FRAME) points at .eh_frame; read to the end of its segment.
  const start = hdr && ehFramePointer(hdr);
  if (start === undefined) return undefined;
  const load = elf.segments.find((p) => p.type === PT.LOAD && start >= p.vaddr && start < p.vaddr + BigInt(p.filesz));
  if (!load) return undefined;
  const offset = load.offset + Number(start - load.vaddr);
  const frame = section(start, elf.source.read(offset, load.offset + load.filesz - offset));
  return frame ? new EhFrame(frame, hdr) : undefined;
}

function segmentHdr(elf: ElfFile): Section | undefined {
  const p = elf.segments.find((s) => s.type === PT.GNU_EH_FRAME);
  return p ? { data: elf.source.read(p.offset, p.filesz), address: p.vaddr } : undefined;
}

const section = (address: bigint, data: Buffer | undefined): Section | undefined =>
  data ? { data, address } : undefined;

function findDebugFile(image: ElfImage, root: string): ElfFile | undefined {
  const candidates: string[] = [];
  const id = image.buildId;
  if (id && id.length > 2) candidates.push(join(root, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`));
  const link = findSection(image.elf, '.gnu_debuglink');
  const linkData = link && sectionData(image.elf, link);
  if (linkData) {
    const name = cString(linkData, 0);
    const dir = dirname(image.path);
    candidates.push(join(dir, name), join(dir, '.debug', name), join(root, dir, name));
  }
  for (const candidate of candidates) {
    if (candidate === image.path || !existsSync(candidate)) continue;
    try {
      const debug = parseElf(fileSource(candidate));
      // A stale debug file describes another build: its symbols would lie.
      if (id && buildId(debug) !== id) {
        debug.source.close();
        continue;
      }
      return debug;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Parsed files, shared by every snapshot in this process. */
const cache = new Map<string, ElfImage | null>();

export interface OpenOptions {
  /** Where the file can be opened from (e.g. /proc/PID/root/usr/lib/...); defaults to path. */
  openPath?: string;
  /** Distinguishes files that share a path (replaced on disk, other mount namespaces). */
  identity?: string;
  debugRoot?: string;
}

/** The parsed ELF at `path`, or undefined when it cannot be opened or is not ELF64. Cached per identity + path. */
export function openElfImage(path: string, options: OpenOptions = {}): ElfImage | undefined {
  const key = `${options.identity ?? ''}:${path}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let image: ElfImage | undefined;
  let source: ByteSource | undefined;
  try {
    source = fileSource(options.openPath ?? path);
    image = new ElfImage(path, parseElf(source), options.debugRoot ?? DEFAULT_DEBUG_ROOT);
  } catch {
    source?.close();
    image = undefined;
  }
  cache.set(key, image ?? null);
  return image;
}

/** In-memory images (the vdso), matched by content: every process of one kernel maps the same vdso. */
const fromMemory: Array<{ bytes: Buffer; image: ElfImage | undefined }> = [];

/** An ELF image held in memory (the vdso copied out of a process), cached by its bytes. */
export function elfImageFromBuffer(name: string, buffer: Buffer): ElfImage | undefined {
  const hit = fromMemory.find((entry) => entry.bytes.equals(buffer));
  if (hit) return hit.image;
  let image: ElfImage | undefined;
  try {
    image = new ElfImage(name, parseElf(bufferSource(buffer)), undefined);
  } catch {
    image = undefined;
  }
  fromMemory.push({ bytes: buffer, image });
  return image;
}

/** Drops every cached file (tests, long-running library users after upgrades). */
export function clearElfCache(): void {
  for (const image of cache.values()) image?.close();
  cache.clear();
  fromMemory.length = 0;
}
