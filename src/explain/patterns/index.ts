/** Every recognizer, in the order they see each event. */
import type { Recognizer } from './engine.js';

export function recognizers(): Recognizer[] {
  return [];
}

export { PatternEngine, MAX_HOLD, type Recognizer, type PatternApi, type Candidate } from './engine.js';

/** Ids of every pattern a recognizer can name (for --only and help texts). */
export const PATTERN_IDS: readonly string[] = [];
