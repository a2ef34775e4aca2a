/**
 * Colour only when the stream is a terminal and NO_COLOR is unset (https://no-color.org); FORCE_COLOR
 * forces it on. Every renderer takes a Palette so output to files and pipes stays plain.
 */
import pc from 'picocolors';

export type Palette = ReturnType<typeof pc.createColors>;

export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function palette(enabled: boolean = colorEnabled()): Palette {
  return pc.createColors(enabled);
}
