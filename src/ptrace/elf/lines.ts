/**
 * Source file:line for an address of a module, when it was built with -g (or its separate debug file
 * is installed): the .debug_line table of the debug file, else of the binary itself. Each table is
 * read once per image, on the first lookup; lookups are memoized per address because the threads of
 * one program mostly stand at the same few pcs.
 */
import { LineTable, type SourceLocation } from '../dwarf/line.js';
import { findSection, sectionData, type ElfFile } from './elf.js';
import type { ElfImage } from './image.js';

const tables = new WeakMap<ElfImage, { table: LineTable | null; hits: Map<bigint, SourceLocation | null> }>();

/** Where the code at `filePc` (a file virtual address) comes from, if the module has line tables. */
export function sourceAt(image: ElfImage, filePc: bigint): SourceLocation | undefined {
  let entry = tables.get(image);
  if (!entry) {
    entry = { table: loadTable(image) ?? null, hits: new Map() };
    tables.set(image, entry);
  }
  if (!entry.table) return undefined;
  let hit = entry.hits.get(filePc);
  if (hit === undefined) {
    hit = entry.table.lookup(filePc) ?? null;
    entry.hits.set(filePc, hit);
  }
  return hit ?? undefined;
}

function loadTable(image: ElfImage): LineTable | undefined {
  const debug = image.debugFile();
  for (const elf of debug ? [debug, image.elf] : [image.elf]) {
    const table = tableOf(elf);
    if (table) return table;
  }
  return undefined;
}

function tableOf(elf: ElfFile): LineTable | undefined {
  const read = (name: string): Buffer | undefined => {
    const section = findSection(elf, name);
    try {
      return section && sectionData(elf, section);
    } catch {
      return undefined; // a corrupt compressed section: no lines, never a failed snapshot
    }
  };
  const debugLine = read('.debug_line');
  if (!debugLine || debugLine.length === 0) return undefined;
  const table = new LineTable({ debugLine, debugLineStr: read('.debug_line_str'), debugStr: read('.debug_str') });
  return table.size > 0 ? table : undefined;
}
