/**
 * The bpftrace program tasklens runs, generated from constants only: the pid it follows arrives as the
 * positional parameter $1, never spliced into the text, so no user input reaches the compiler.
 *
 * Every event is one tab-separated line `TAG ns tid tgid ...` (see records.ts), with at most one string,
 * always last, so tabs inside a string cannot shift the fields. Two scopes:
 * - `descendants`: the first task thread $1 creates after BEGIN (the command tasklens spawns) and all
 *   its descendants, kept in the in-kernel map @t keyed by TID; other tasks cost one map lookup.
 * - `machine`: every task (`tasklens watch`), with uid, cgroup id, parent and comm on each record.
 */
import { requireFields, TRACEFS } from './tracepoints.js';

export type ScriptScope = 'descendants' | 'machine';

export interface ScriptOptions {
  scope: ScriptScope;
  /** argv entries read per execve (more are reported as cut). */
  maxArgs?: number;
  /** tracefs root whose format files are checked. */
  tracefs?: string;
}

/** Number of argv entries read by default; strings are read up to BPFTRACE_STRLEN bytes. */
export const DEFAULT_MAX_ARGS = 20;
/** bpftrace 0.17's largest string size (its BPF stack limit). */
export const STRING_BYTES = 200;

/** Syscall numbers (x86-64) the G and K records carry, so one record shape serves several calls. */
export const SYSCALL_NUMBERS = { exit: 60, exit_group: 231, kill: 62, tkill: 200, tgkill: 234 } as const;

/** Fork syscalls as the F record numbers them. */
export const CREATORS = ['unknown', 'clone', 'clone3', 'fork', 'vfork'] as const;

/** The tracepoints and fields the script reads; checked against the running kernel's format files. */
const FIELDS: ReadonlyArray<[string, string, readonly string[]]> = [
  ['sched', 'sched_process_fork', ['parent_pid', 'child_pid']],
  ['sched', 'sched_process_exec', ['pid', 'old_pid']],
  ['sched', 'sched_process_exit', ['pid', 'group_dead']],
  ['signal', 'signal_generate', ['sig', 'code', 'pid', 'group', 'result']],
  ['signal', 'signal_deliver', ['sig', 'code']],
  ['syscalls', 'sys_enter_clone', ['clone_flags']],
  ['syscalls', 'sys_enter_clone3', ['uargs', 'size']],
  ['syscalls', 'sys_enter_fork', []],
  ['syscalls', 'sys_enter_vfork', []],
  ['syscalls', 'sys_enter_execve', ['filename', 'argv', 'envp']],
  ['syscalls', 'sys_exit_execve', ['ret']],
  ['syscalls', 'sys_enter_exit', ['error_code']],
  ['syscalls', 'sys_enter_exit_group', ['error_code']],
  ['syscalls', 'sys_enter_kill', ['pid', 'sig']],
  ['syscalls', 'sys_exit_kill', ['ret']],
  ['syscalls', 'sys_enter_tkill', ['pid', 'sig']],
  ['syscalls', 'sys_exit_tkill', ['ret']],
  ['syscalls', 'sys_enter_tgkill', ['tgid', 'pid', 'sig']],
  ['syscalls', 'sys_exit_tgkill', ['ret']],
  ['syscalls', 'sys_enter_wait4', ['upid', 'stat_addr', 'options']],
  ['syscalls', 'sys_exit_wait4', ['ret']],
  ['syscalls', 'sys_enter_waitid', ['which', 'upid', 'infop', 'options']],
  ['syscalls', 'sys_exit_waitid', ['ret']],
];

/** Throws a TasklensError when a tracepoint or field the script needs is missing on this kernel. */
export function checkTracepoints(tracefs = TRACEFS): void {
  for (const [category, name, fields] of FIELDS) requireFields(category, name, fields, tracefs);
}

/** The bpftrace program for a scope. Reads the format files first (see checkTracepoints). */
export function generateScript(options: ScriptOptions): string {
  checkTracepoints(options.tracefs);
  const machine = options.scope === 'machine';
  const maxArgs = options.maxArgs ?? DEFAULT_MAX_ARGS;
  // Filters: in `descendants` scope a probe fires for traced tasks only.
  const mine = machine ? '' : ' /@t[tid]/';
  const pre = 'nsecs, tid, pid';
  const head = (tag: string, rest = ''): string => `printf("${tag}\\t%llu\\t%d\\t%d${rest}\\n"`;
  // uid, cgroup id, parent tgid and comm: last, comm being a string.
  const who = machine ? '\\t%d\\t%llu\\t%d\\t%s' : '';
  const whoArgs = machine ? ', uid, cgroup, curtask->real_parent->tgid, comm' : '';
  const lines: string[] = [];
  lines.push('BEGIN { printf("R\\t%llu\\n", nsecs); }');
  if (!machine) {
    lines.push(
      'tracepoint:sched:sched_process_fork /args->parent_pid == $1 && @root == 0/ {',
      '  @root = args->child_pid; @t[args->child_pid] = 1; printf("B\\t%llu\\t%d\\t%d\\n", nsecs, args->child_pid, args->child_pid);',
      '}',
    );
  }
  // The creating call's flags, kept until sched_process_fork fires in the same thread.
  lines.push(
    `tracepoint:syscalls:sys_enter_clone${mine} { @sc[tid] = 1; @fl[tid] = args->clone_flags; @es[tid] = args->clone_flags & 0xff; @sz[tid] = 0; }`,
    `tracepoint:syscalls:sys_enter_clone3${mine} { @sc[tid] = 2; @fl[tid] = *(uint64 *)uptr(args->uargs); @es[tid] = *(uint64 *)uptr(args->uargs + 32); @sz[tid] = args->size; }`,
    `tracepoint:syscalls:sys_enter_fork${mine} { @sc[tid] = 3; @fl[tid] = 17; @es[tid] = 17; @sz[tid] = 0; }`,
    `tracepoint:syscalls:sys_enter_vfork${mine} { @sc[tid] = 4; @fl[tid] = 0x4100 | 17; @es[tid] = 17; @sz[tid] = 0; }`,
    `tracepoint:sched:sched_process_fork${machine ? '' : ' /@t[args->parent_pid]/'} {`,
    ...(machine ? [] : ['  @t[args->child_pid] = 1;']),
    `  ${head('F', `\\t%d\\t%d\\t%llu\\t%llu\\t%llu${who}`)}, ${pre}, args->child_pid, @sc[tid], @fl[tid], @es[tid], @sz[tid]${whoArgs});`,
    '  delete(@sc[tid]); delete(@fl[tid]); delete(@es[tid]); delete(@sz[tid]);',
    '}',
  );
  // execve. User memory can be absent at the call's entry (a forked child's pages come in on first
  // touch, and a tracepoint cannot fault them in), so a successful exec is read where the kernel has
  // just written it: the path from sched_process_exec, argv from the new image's argument area (one
  // buffer, NUL-separated, `%r` escapes). A failed exec is read at the call's exit, after the kernel
  // copied the path: argv one entry per record, a nested chain that stops at the NULL.
  // The offset as an unsigned literal: bpftrace warns about signed arithmetic on the uint64 address.
  const argv = (i: number): string => `*(uint64 *)uptr(@av[tid] + (uint64)${8 * i})`;
  const argChain = (i: number): string[] => {
    if (i === maxArgs) return [`if (${argv(i)} != 0) { ${head('m')}, ${pre}); }`];
    return [
      `if (${argv(i)} != 0) {`,
      `  ${head('a', '\\t%d\\t%s')}, ${pre}, ${i}, str(uptr(${argv(i)})));`,
      ...argChain(i + 1).map((l) => `  ${l}`),
      '}',
    ];
  };
  const execHead = (path: string): string =>
    `${head('E', machine ? '\\t%llu\\t%d\\t%llu\\t%d\\t%s' : '\\t%llu\\t%s')}, ${pre}, @ep[tid]${machine ? ', uid, cgroup, curtask->real_parent->tgid' : ''}, ${path});`;
  lines.push(
    `tracepoint:syscalls:sys_enter_execve${mine} { @fn[tid] = (uint64)args->filename; @av[tid] = (uint64)args->argv; @ep[tid] = (uint64)args->envp; }`,
    `tracepoint:sched:sched_process_exec${machine ? '' : ' /@t[args->old_pid] || @t[tid]/'} {`,
    ...(machine ? [] : ['  if (args->old_pid != (int32)tid) { delete(@t[args->old_pid]); @t[tid] = 1; }']),
    `  ${head('x', '\\t%d')}, ${pre}, args->old_pid);`,
    `  ${execHead('str(args->filename)')}`,
    '  $mm = curtask->mm; $start = $mm->arg_start; $n = $mm->arg_end - $start;',
    `  if ($n > ${STRING_BYTES}) { $n = ${STRING_BYTES}; }`,
    `  ${head('V', '\\t%d\\t%r')}, ${pre}, $mm->arg_end - $start, buf(uptr($start), $n));`,
    '}',
    `tracepoint:syscalls:sys_exit_execve${mine} {`,
    '  if (args->ret < 0) {',
    `    ${execHead('str(uptr(@fn[tid]))')}`,
    ...argChain(0).map((l) => `    ${l}`),
    '  }',
    `  ${head('e', '\\t%d')}, ${pre}, args->ret);`,
    '  delete(@fn[tid]); delete(@av[tid]); delete(@ep[tid]);',
    '}',
  );
  // Ends: the exit call (its code), then the kernel's exit with the wait status it will report.
  if (!machine) {
    lines.push(
      `tracepoint:syscalls:sys_enter_exit${mine} { ${head('G', '\\t%d\\t%d')}, ${pre}, ${SYSCALL_NUMBERS.exit}, args->error_code); }`,
      `tracepoint:syscalls:sys_enter_exit_group${mine} { ${head('G', '\\t%d\\t%d')}, ${pre}, ${SYSCALL_NUMBERS.exit_group}, args->error_code); }`,
    );
  }
  lines.push(
    `tracepoint:sched:sched_process_exit${mine} {`,
    `  ${head('X', `\\t%d\\t%d${who}`)}, ${pre}, curtask->exit_code, args->group_dead${whoArgs});`,
    ...(machine ? [] : ['  delete(@t[tid]);']),
    '}',
  );
  if (!machine) {
    // Signals sent by call (the call's line), and waits with the status they collected.
    lines.push(
      `tracepoint:syscalls:sys_enter_kill${mine} { ${head('K', '\\t%d\\t%d\\t%d\\t0')}, ${pre}, ${SYSCALL_NUMBERS.kill}, args->pid, args->sig); }`,
      `tracepoint:syscalls:sys_enter_tkill${mine} { ${head('K', '\\t%d\\t%d\\t%d\\t0')}, ${pre}, ${SYSCALL_NUMBERS.tkill}, args->pid, args->sig); }`,
      `tracepoint:syscalls:sys_enter_tgkill${mine} { ${head('K', '\\t%d\\t%d\\t%d\\t%d')}, ${pre}, ${SYSCALL_NUMBERS.tgkill}, args->tgid, args->pid, args->sig); }`,
      `tracepoint:syscalls:sys_exit_kill,tracepoint:syscalls:sys_exit_tkill,tracepoint:syscalls:sys_exit_tgkill${mine} { ${head('k', '\\t%d')}, ${pre}, args->ret); }`,
      `tracepoint:syscalls:sys_enter_wait4${mine} { @wa[tid] = (uint64)args->stat_addr; ${head('W', '\\t%d\\t%d\\t%llu')}, ${pre}, args->upid, args->options, (uint64)args->stat_addr); }`,
      `tracepoint:syscalls:sys_exit_wait4${mine} {`,
      '  $s = (int32)-1;',
      '  if (@wa[tid] != 0 && args->ret > 0) { $s = *(int32 *)uptr(@wa[tid]); }',
      `  ${head('w', '\\t%d\\t%d')}, ${pre}, args->ret, $s);`,
      '  delete(@wa[tid]);',
      '}',
      `tracepoint:syscalls:sys_enter_waitid${mine} { @wi[tid] = (uint64)args->infop; ${head('I', '\\t%d\\t%d\\t%d\\t%llu')}, ${pre}, args->which, args->upid, args->options, (uint64)args->infop); }`,
      `tracepoint:syscalls:sys_exit_waitid${mine} {`,
      '  $signo = (int32)0; $code = (int32)0; $spid = (int32)0; $suid = (int32)0; $status = (int32)0;',
      '  if (@wi[tid] != 0 && args->ret == 0) {',
      '    $signo = *(int32 *)uptr(@wi[tid]); $code = *(int32 *)uptr(@wi[tid] + 8); $spid = *(int32 *)uptr(@wi[tid] + 16);',
      '    $suid = *(int32 *)uptr(@wi[tid] + 20); $status = *(int32 *)uptr(@wi[tid] + 24);',
      '  }',
      `  ${head('i', '\\t%d\\t%d\\t%d\\t%d\\t%d\\t%d')}, ${pre}, args->ret, $signo, $code, $spid, $suid, $status);`,
      '  delete(@wi[tid]);',
      '}',
    );
  }
  // Signals: generated (sender = current, target = args->pid) and delivered (in the receiving thread).
  lines.push(
    `tracepoint:signal:signal_generate${machine ? '' : ' /@t[tid] || @t[args->pid]/'} {`,
    `  ${head('S', `\\t%d\\t%d\\t%d\\t%d\\t%d\\t%d${machine ? '\\t%llu\\t%d\\t%s' : ''}`)}, ${pre}, args->pid, args->sig, args->code, args->group, args->result, uid${machine ? ', cgroup, curtask->real_parent->tgid, comm' : ''});`,
    '}',
    `tracepoint:signal:signal_deliver${mine} { ${head('D', `\\t%d\\t%d${who}`)}, ${pre}, args->sig, args->code${whoArgs}); }`,
  );
  lines.push(`END { clear(@sc); clear(@fl); clear(@es); clear(@sz); clear(@fn); clear(@av); clear(@ep);${machine ? '' : ' clear(@t); clear(@wa); clear(@wi); clear(@root);'} }`);
  return `${lines.join('\n')}\n`;
}

/** Environment bpftrace runs with: the longest strings it can read, and maps large enough for busy trees. */
export function bpftraceEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, BPFTRACE_STRLEN: String(STRING_BYTES), BPFTRACE_MAP_KEYS_MAX: '65536', BPFTRACE_NO_USER_SYMBOLS: '1' };
}

export { TRACEFS };
