/**
 * Errors the operating system gives for things a user controls (a missing file, a full disk, a
 * descriptor limit): the words to show, and the exit code. With these, "internal error" is left
 * for bugs only.
 */
import { ExitCode } from './errors.js';

/** errno name -> what it means for a file the user named, in a few words. */
const PHRASES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'is a symbolic link (or too many levels of them)',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files (this process reached its descriptor limit, ulimit -n)',
  ENFILE: 'too many open files in the system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EEXIST: 'already exists',
  ETXTBSY: 'text file busy',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument (the file does not support this operation)',
  EAGAIN: 'resource temporarily unavailable',
  ENOMEM: 'out of memory',
};

/** Syscall names as Node reports them -> the verb of the message. */
const VERBS: Readonly<Record<string, string>> = {
  open: 'open', read: 'read', write: 'write', close: 'close', stat: 'read', lstat: 'read', fstat: 'read',
  scandir: 'list', opendir: 'list', readlink: 'read', mkdir: 'create', mkdtemp: 'create', rename: 'rename',
  unlink: 'remove', rmdir: 'remove', rm: 'remove', access: 'access', realpath: 'resolve', ftruncate: 'truncate',
};

export interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

/** True for an error from a system call whose errno we can explain in words. */
export function isSystemError(error: unknown): error is SystemError {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && Object.hasOwn(PHRASES, code);
}

/** `no space left on device` for ENOSPC; the error's own message for anything else. */
export function systemErrorText(error: unknown): string {
  if (isSystemError(error)) return PHRASES[error.code];
  return error instanceof Error ? error.message : String(error);
}

/** `cannot open trace.log: permission denied` (the path and verb from the error when it has them). */
export function systemErrorMessage(error: SystemError, path = error.path): string {
  const verb = (error.syscall && VERBS[error.syscall]) ?? 'use';
  return path === undefined ? `${verb === 'use' ? 'system call failed' : `cannot ${verb}`}: ${PHRASES[error.code]}` : `cannot ${verb} ${path}: ${PHRASES[error.code]}`;
}

/** Permission problems get the permission exit code (77), the rest a plain failure (1). */
export function systemErrorExitCode(error: SystemError): number {
  return error.code === 'EACCES' || error.code === 'EPERM' ? ExitCode.permission : ExitCode.failure;
}
