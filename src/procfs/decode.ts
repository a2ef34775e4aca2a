/**
 * Masks from /proc decoded to names with the knowledge base: signal sets (all 64 bits, glibc's
 * SIGRTMIN+n spelling for application real-time signals, 32/33 called out as glibc-internal) and
 * capability sets (unknown bits kept as `cap_<n>`, so a newer kernel never loses information).
 */
import { signalInfo, signalsInMask } from '../kb/signals.js';
import { capabilitiesInMask } from '../kb/capabilities.js';

export interface DecodedSignal {
  signo: number;
  /** SIGUSR1, SIGRTMIN+3 (glibc numbering, as a C programmer writes it), SIGCANCEL ... */
  name: string;
  /** Set for 32 and 33, which glibc's NPTL keeps for itself. */
  glibcInternal?: true;
}

/** Signal numbers in a mask with the names a C programmer uses (bit n-1 is signal n). */
export function decodeSignalMask(mask: bigint): DecodedSignal[] {
  return signalsInMask(mask).map((signo) => {
    const info = signalInfo(signo);
    const decoded: DecodedSignal = { signo, name: info?.glibcName ?? `signal ${signo}` };
    if (info?.reservedByGlibc) decoded.glibcInternal = true;
    return decoded;
  });
}

/** Names only, e.g. `['SIGUSR1', 'SIGRTMIN+3']`. */
export function signalNames(mask: bigint): string[] {
  return decodeSignalMask(mask).map((s) => s.name);
}

export interface DecodedCapability {
  bit: number;
  /** CAP_KILL, or `cap_41` for a bit the knowledge base does not know. */
  name: string;
  known: boolean;
}

export function decodeCapabilities(mask: bigint): DecodedCapability[] {
  return capabilitiesInMask(mask).map(({ bit, name }) => ({ bit, name: name ?? `cap_${bit}`, known: name !== undefined }));
}

/** Mask as fixed-width hex, the way /proc prints it. */
export function maskHex(mask: bigint): string {
  return mask.toString(16).padStart(16, '0');
}
