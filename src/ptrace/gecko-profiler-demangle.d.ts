/** The package's wasm-bindgen glue module (its own typings cover only the entry module, which Node cannot load). */
declare module 'gecko-profiler-demangle/index_bg.js' {
  export function __wbg_set_wasm(exports: Record<string, unknown>): void;
  export function demangle_any(name: string): string;
}
