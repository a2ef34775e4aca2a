/**
 * Character codes and character classes of strace text, in one place. The parse layer reads lines by
 * `charCodeAt` on its hot paths (no regular expressions per line), so these names stand for the codes.
 */

export const TAB = 9;
export const NEWLINE = 10;
export const CARRIAGE_RETURN = 13;
export const ESCAPE = 27;
export const SPACE = 32;
export const QUOTE = 34;
export const LPAREN = 40;
export const RPAREN = 41;
export const STAR = 42;
export const PLUS = 43;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const SLASH = 47;
export const ZERO = 48;
export const COLON = 58;
export const LT = 60;
export const EQ = 61;
export const GT = 62;
export const QUESTION = 63;
export const LBRACKET = 91;
export const BACKSLASH = 92;
export const RBRACKET = 93;
export const LBRACE = 123;
export const PIPE = 124;
export const RBRACE = 125;

/** `[0-9]`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `[0-9a-fA-F]`. */
export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** `[A-Za-z0-9_]`: a character of a word, a syscall name or a constant. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `[A-Za-z_]`: the first character of a syscall name. */
export function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95 || (c >= 65 && c <= 90);
}
