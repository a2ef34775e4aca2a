/**
 * The sub-call numbers of the two i386 multiplexers: socketcall(call, args) (<linux/net.h> SYS_*)
 * and ipc(call, ...) (<linux/ipc.h>). 32-bit x86 programs reached every socket and System V IPC
 * call through them until Linux 4.3 gave those calls their own numbers on i386.
 */
import { defineTable } from './table.js';

type Row = [string, bigint, string];

const SOCKETCALL: readonly Row[] = [
  ['SYS_SOCKET', 1n, 'socket'], ['SYS_BIND', 2n, 'bind'], ['SYS_CONNECT', 3n, 'connect'], ['SYS_LISTEN', 4n, 'listen'],
  ['SYS_ACCEPT', 5n, 'accept'], ['SYS_GETSOCKNAME', 6n, 'getsockname'], ['SYS_GETPEERNAME', 7n, 'getpeername'],
  ['SYS_SOCKETPAIR', 8n, 'socketpair'], ['SYS_SEND', 9n, 'sendto'], ['SYS_RECV', 10n, 'recvfrom'], ['SYS_SENDTO', 11n, 'sendto'],
  ['SYS_RECVFROM', 12n, 'recvfrom'], ['SYS_SHUTDOWN', 13n, 'shutdown'], ['SYS_SETSOCKOPT', 14n, 'setsockopt'],
  ['SYS_GETSOCKOPT', 15n, 'getsockopt'], ['SYS_SENDMSG', 16n, 'sendmsg'], ['SYS_RECVMSG', 17n, 'recvmsg'],
  ['SYS_ACCEPT4', 18n, 'accept4'], ['SYS_RECVMMSG', 19n, 'recvmmsg'], ['SYS_SENDMMSG', 20n, 'sendmmsg'],
];

const IPC: readonly Row[] = [
  ['SEMOP', 1n, 'semop'], ['SEMGET', 2n, 'semget'], ['SEMCTL', 3n, 'semctl'], ['SEMTIMEDOP', 4n, 'semtimedop'],
  ['MSGSND', 11n, 'msgsnd'], ['MSGRCV', 12n, 'msgrcv'], ['MSGGET', 13n, 'msgget'], ['MSGCTL', 14n, 'msgctl'],
  ['SHMAT', 21n, 'shmat'], ['SHMDT', 22n, 'shmdt'], ['SHMGET', 23n, 'shmget'], ['SHMCTL', 24n, 'shmctl'],
];

/** Meaning of each row: `the NAME call` (the syscall the sub-call stands for, see SUBCALL_OF). */
export const SOCKETCALL_CALLS = defineTable({
  id: 'socketcall',
  title: 'i386 socketcall() sub-calls',
  kind: 'enum',
  values: SOCKETCALL.map(([name, value, call]) => ({ name, value, meaning: `the ${call} call` })),
});

export const IPC_CALLS = defineTable({
  id: 'ipc',
  title: 'i386 ipc() sub-calls',
  kind: 'enum',
  values: IPC.map(([name, value, call]) => ({ name, value, meaning: `the ${call} call` })),
});

/** Sub-call name -> the syscall it stands for (SYS_CONNECT -> connect). */
export const SUBCALL_OF: ReadonlyMap<string, string> = new Map([...SOCKETCALL, ...IPC].map(([name, , call]) => [name, call]));
