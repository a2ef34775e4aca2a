/**
 * Readable names for C++ and Rust symbols: `_ZNSt6vectorIiSaIiEE9push_backERKi` becomes
 * `std::vector<int, std::allocator<int> >::push_back(int const&)`, `_RNvCs..._7mycrate7example`
 * becomes `mycrate::example`, a legacy Rust `..17h<hash>E` loses its hash.
 *
 * The work is done by gecko-profiler-demangle: the Firefox profiler's build of the cpp_demangle and
 * rustc-demangle crates as WebAssembly (Itanium C++, Rust v0 and legacy). Its entry module imports
 * the .wasm file as an ES module, which Node does not do without a flag, so the module is
 * instantiated here, synchronously, from the package's own files; only when a mangled name is met
 * (about 50 ms, once per process).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as glue from 'gecko-profiler-demangle/index_bg.js';

/** Prefixes of mangled names: Itanium C++ (`_Z`, and `__Z` on some platforms) and Rust v0 (`_R`). */
const MANGLED = /^(?:_{1,2}Z|_R)/;

/** The part of the WebAssembly global used here (TypeScript's ES lib has no typings for it; lib.dom does). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: Wasm };

let ready: boolean | undefined;
const cache = new Map<string, string | undefined>();

function load(): boolean {
  if (ready !== undefined) return ready;
  try {
    const path = createRequire(import.meta.url).resolve('gecko-profiler-demangle/index_bg.wasm');
    const instance = new wasm.Instance(new wasm.Module(readFileSync(path)), { './index_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    ready = true;
  } catch {
    ready = false; // names stay mangled; the snapshot itself must not fail for want of a nicer name
  }
  return ready;
}

/**
 * The demangled form of a C++ or Rust symbol, or undefined when the name is not mangled (C
 * functions), is malformed, or the demangler cannot be loaded.
 */
export function demangle(name: string): string | undefined {
  if (!MANGLED.test(name)) return undefined;
  if (cache.has(name)) return cache.get(name);
  let out: string | undefined;
  if (load()) {
    try {
      const text = glue.demangle_any(name);
      // On failure the wrapper hands back the input, or the input without its first underscore
      // (it also tries Mach-O's extra one): neither is a demangled name.
      out = text !== name && text !== name.slice(1) && text !== '' ? text : undefined;
    } catch {
      out = undefined;
    }
  }
  cache.set(name, out);
  return out;
}
