/** Limits, randomness, credentials, system information: the calls start-up code and daemons make. */
import { GETRANDOM_FLAGS, RLIMIT_RESOURCES } from '../../kb/flags/index.js';
import { valueText } from '../../parse/values.js';
import type { Value } from '../../parse/types.js';
import type { Call } from '../call.js';
import { structField } from '../../parse/values.js';
import { dec, humanSize } from '../format.js';
import type { FamilyTable, Said } from './types.js';

const SIZE_LIMITS = new Set(['RLIMIT_STACK', 'RLIMIT_DATA', 'RLIMIT_AS', 'RLIMIT_FSIZE', 'RLIMIT_CORE', 'RLIMIT_MEMLOCK', 'RLIMIT_RSS', 'RLIMIT_MSGQUEUE']);

/** A limit value as printed (`8192*1024`, `RLIM64_INFINITY`, `1024`) in words. */
function limitWords(v: Value | undefined, resource: string): string {
  if (!v) return '?';
  if (v.t === 'comment' && v.value) return limitWords(/INFINITY/.test(v.comment) ? { t: 'ident', text: 'RLIM64_INFINITY' } : v.value, resource);
  const text = valueText(v);
  if (/INFINITY/.test(text)) return 'unlimited';
  const product = /^(\d+)\*(\d+)$/.exec(text);
  const n = product ? BigInt(product[1]) * BigInt(product[2]) : /^\d+$/.test(text) ? BigInt(text) : undefined;
  if (n === undefined) return text;
  return SIZE_LIMITS.has(resource) ? humanSize(n) : n.toString();
}

function structLimits(v: Value | undefined, resource: string): string | undefined {
  if (v?.t !== 'struct') return undefined;
  const cur = structField(v, 'rlim_cur');
  const max = structField(v, 'rlim_max');
  return `soft ${limitWords(cur, resource)}, hard ${limitWords(max, resource)}`;
}

function prlimit(c: Call): Said {
  const p = c.name === 'prlimit64';
  const resource = c.flags(p ? 1 : 0, RLIMIT_RESOURCES, 'resource', false)[0] ?? c.text(p ? 1 : 0) ?? '?';
  const meaning = (c.decoded?.resource as Array<{ meaning: string }> | undefined)?.[0]?.meaning;
  const newV = c.arg(p ? 2 : 1);
  const oldV = p ? c.arg(3) : c.arg(1);
  const who = p && c.text(0) !== '0' ? ` of process ${c.text(0)}` : '';
  const setting = c.name === 'setrlimit' || (p && newV !== undefined && newV.t !== 'null');
  const limits = structLimits(setting ? newV : oldV, resource);
  const stack = resource === 'RLIMIT_STACK' && !setting ? '; glibc also uses the soft limit as the default stack size of new threads' : '';
  return { text: `${setting ? 'sets' : 'reads'} the ${resource} limit${who}${limits ? `: ${limits}` : ''}${stack}${meaning && !stack ? ` (${meaning})` : ''}` };
}

function getrandom(c: Call): Said {
  const flags = c.flags(2, GETRANDOM_FLAGS, 'flags', false);
  const said: Said = { text: `fills ${humanSize(c.int(1) ?? 0n)} with random bytes from the kernel${flags.includes('GRND_NONBLOCK') ? ' without waiting for the entropy pool' : ''}${c.int(1) === 8n ? ' (glibc seeds its malloc and stack-protector randomisation with a few such bytes)' : ''}` };
  if (c.errno === 'EAGAIN') said.benign = 'the entropy pool is not ready yet and GRND_NONBLOCK asked not to wait: the caller falls back';
  return said;
}

const idText = (what: string) => (c: Call): Said => ({ text: `returns its ${what}${c.ret !== undefined ? `: ${dec(c.ret)}` : ''}`, coversResult: c.ok });

export const RESOURCE: FamilyTable = {
  prlimit64: prlimit,
  getrlimit: prlimit,
  setrlimit: prlimit,
  getrusage: (c) => ({ text: `reads resource usage (CPU time, page faults, max RSS) of ${c.text(0) === 'RUSAGE_CHILDREN' ? 'its reaped children' : c.text(0) === 'RUSAGE_THREAD' ? 'this thread' : 'the process'}` }),
  times: () => ({ text: 'reads the CPU time used by the process and its reaped children' }),
  getrandom,
  getuid: idText('real user id'),
  geteuid: idText('effective user id (the one permission checks use)'),
  getgid: idText('real group id'),
  getegid: idText('effective group id'),
  getresuid: () => ({ text: 'reads its real, effective and saved user ids' }),
  getresgid: () => ({ text: 'reads its real, effective and saved group ids' }),
  getgroups: (c) => ({ text: `reads its supplementary groups${c.ret !== undefined ? ` (${dec(c.ret)})` : ''}`, coversResult: c.ok }),
  setuid: (c) => ({ text: `changes its user id to ${c.text(0) ?? '?'} (for root: all three ids, dropping privilege for good); glibc applies it to every thread` }),
  setgid: (c) => ({ text: `changes its group id to ${c.text(0) ?? '?'}` }),
  setresuid: (c) => ({ text: `sets real/effective/saved user ids to ${c.text(0)}/${c.text(1)}/${c.text(2)} (-1 keeps one)` }),
  setresgid: (c) => ({ text: `sets real/effective/saved group ids to ${c.text(0)}/${c.text(1)}/${c.text(2)} (-1 keeps one)` }),
  setgroups: (c) => ({ text: `sets ${c.text(0) ?? '?'} supplementary group(s)` }),
  capget: () => ({ text: 'reads the capability sets of a thread' }),
  capset: () => ({ text: 'changes the capability sets of the calling thread' }),
  seccomp: (c) => ({ text: `installs or queries a seccomp filter (${c.text(0) ?? '?'}): from now on the kernel checks each syscall of this thread${/TSYNC/.test(c.text(1) ?? '') ? ' and all its siblings' : ''} against it` }),
  uname: (c) => ({ text: `reads the kernel name, release and machine${/release="([^"]+)"/.exec(c.text(0) ?? '')?.[1] ? ` (release ${/release="([^"]+)"/.exec(c.text(0) ?? '')![1]})` : ''}` }),
  sysinfo: () => ({ text: 'reads system-wide memory, swap, load and uptime figures' }),
  sethostname: (c) => ({ text: `sets the host name to ${c.text(0) ?? '?'}` }),
  syslog: (c) => ({ text: `reads or controls the kernel log buffer (${c.text(0) ?? '?'})` }),
  ioprio_get: () => ({ text: 'reads an I/O scheduling priority' }),
  ioprio_set: () => ({ text: 'sets an I/O scheduling priority' }),
};
