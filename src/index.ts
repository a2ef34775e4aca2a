/**
 * tasklens library API. Layers: capture (strace), parse (text -> events), model (task graph),
 * procfs (live /proc), ptrace (snapshots), kb (knowledge tables), explain, diagnose, render.
 */
export * from './errors.js';
export type * from './parse/types.js';
export * from './kb/index.js';
export * from './capture/index.js';
export * from './model/index.js';
