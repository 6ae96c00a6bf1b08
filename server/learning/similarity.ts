/**
 * How alike two findings are, for recognising an LLM finding that says again
 * what the team already rejected in other words or on slightly different code.
 * Character trigrams (Jaccard) are cheap, need no model, and are robust to
 * renamed identifiers and reworded sentences sharing most of their words.
 */

/** 0 (nothing shared) … 1 (same trigrams). */
export function textSimilarity(a: string, b: string): number {
  const left = trigrams(a);
  const right = trigrams(b);
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}

/** Message and code weigh the same: the same complaint about different code is a different finding. */
export function findingSimilarity(a: { message: string; code: string }, b: { message: string; code: string }): number {
  return (textSimilarity(a.message, b.message) + textSimilarity(a.code, b.code)) / 2;
}

function trigrams(text: string): Set<string> {
  const normalised = ` ${text.toLowerCase().replace(/\s+/g, ' ').trim()} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= normalised.length; i++) grams.add(normalised.slice(i, i + 3));
  return grams;
}
