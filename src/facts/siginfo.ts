/** A siginfo as the parser typed it (`{si_signo=..., si_code=..., si_pid=...}`), read field by field. */
import type { Value } from '../parse/types.js';
import { structField, toBigInt, valueText } from '../parse/values.js';
import type { ChildStatus } from './types.js';
import { MAX_PID, detached } from './event.js';

export interface SiginfoFields {
  code?: string;
  /** si_pid within 0..2^22. */
  pid?: number;
  uid?: number;
  status?: string;
  addrText?: string;
  addr?: bigint;
}

/** The fields of a siginfo the facts read (an empty object for no siginfo). */
export function siginfoFields(info: Value | null | undefined): SiginfoFields {
  if (!info) return {};
  const out: SiginfoFields = {};
  const code = structField(info, 'si_code');
  if (code !== undefined) out.code = detached(valueText(code));
  const pid = toBigInt(structField(info, 'si_pid'));
  if (pid !== undefined && pid >= 0n && pid <= MAX_PID) out.pid = Number(pid);
  const uid = toBigInt(structField(info, 'si_uid'));
  if (uid !== undefined && uid >= 0n && uid <= 0xffffffffn) out.uid = Number(uid);
  const status = structField(info, 'si_status');
  if (status !== undefined) out.status = detached(valueText(status));
  const addr = structField(info, 'si_addr');
  if (addr !== undefined) {
    out.addrText = detached(valueText(addr));
    const n = toBigInt(addr);
    if (n !== undefined) out.addr = BigInt.asUintN(64, n);
  }
  return out;
}

/** si_code of a SIGCHLD siginfo -> what happened to the child. */
const CHILD_CODES: Readonly<Record<string, ChildStatus['kind']>> = {
  CLD_EXITED: 'exited',
  CLD_KILLED: 'killed',
  CLD_DUMPED: 'killed',
  CLD_STOPPED: 'stopped',
  CLD_TRAPPED: 'stopped',
  CLD_CONTINUED: 'continued',
};

/** What a SIGCHLD siginfo (a delivery, or waitid's infop) says happened to the child; undefined for other codes. */
export function childStatusOf(code: string | undefined, statusText: string | undefined): ChildStatus | undefined {
  const kind = code === undefined || !Object.hasOwn(CHILD_CODES, code) ? undefined : CHILD_CODES[code];
  if (kind === undefined) return undefined;
  if (kind === 'exited') {
    const n = statusText === undefined ? undefined : toBigInt(statusText);
    return { kind, code: n !== undefined && n >= 0n && n <= 255n ? Number(n) : undefined };
  }
  if (kind === 'killed') return { kind, signal: statusText, coreDumped: code === 'CLD_DUMPED' };
  return { kind, signal: statusText };
}

/** A status that means the child is gone (as opposed to stopped or continued). */
export function isFinal(status: ChildStatus | undefined): boolean {
  return status !== undefined && (status.kind === 'exited' || status.kind === 'killed');
}
