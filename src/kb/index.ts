/**
 * The knowledge base: typed data tables about the x86-64 Linux kernel ABI, one module per family.
 * Everything here is pure data plus small lookups; no I/O.
 */
export * from './signals.js';
export * from './capabilities.js';
export * from './syscalls.js';
export * from './errno.js';
export * from './structs.js';
export * from './coverage.js';
export * from './abi/index.js';
export * from './flags/index.js';
