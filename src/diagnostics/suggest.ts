/** "Did you mean …?" for names the user mistyped: stages, pathways, classifications, params. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name` by edit distance (case-insensitive), if it is close
 * enough to be a plausible typo: at most 40% of the longer name's length in edits (so
 * "firts" → "first", 2 edits in 5), at least 1. Ties go to the earlier candidate; pure.
 */
export function suggestClosest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    const limit = Math.max(1, Math.round(Math.max(name.length, candidate.length) * 0.4));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `Did you mean "x"? Valid: a, b, c.` — or only the list when nothing is close. */
export function describeChoices(name: string, candidates: readonly string[], noun = 'Valid'): string {
  const closest = suggestClosest(name, candidates);
  const list = candidates.length > 0 ? `${noun}: ${candidates.map((c) => `"${c}"`).join(', ')}.` : `There are none.`;
  return closest ? `Did you mean "${closest}"? ${list}` : list;
}
