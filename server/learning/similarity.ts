/**
 * How alike two findings are, for recognising an LLM finding that says again
 * what the team already rejected in other words or on slightly different code.
 * Character trigrams (Jaccard) are cheap, need no model, and are robust to
 * renamed identifiers and reworded sentences sharing most of their words.
 */

/** 0 (nothing shared) … 1 (same trigrams). */
export function textSimilarity(a: string, b: string): number {
  return jaccard(trigrams(a), trigrams(b));
}

/** A finding's message and code as trigram sets, computed once and compared many times. */
export interface FindingShape {
  message: ReadonlySet<string>;
  code: ReadonlySet<string>;
}

export function shapeOf(finding: { message: string; code: string }): FindingShape {
  return { message: trigrams(finding.message), code: trigrams(finding.code) };
}

/** Message and code weigh the same: the same complaint about different code is a different finding. */
export function shapeSimilarity(a: FindingShape, b: FindingShape): number {
  return (jaccard(a.message, b.message) + jaccard(a.code, b.code)) / 2;
}

export function findingSimilarity(a: { message: string; code: string }, b: { message: string; code: string }): number {
  return shapeSimilarity(shapeOf(a), shapeOf(b));
}

function jaccard(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}

function trigrams(text: string): Set<string> {
  const normalised = ` ${text.toLowerCase().replace(/\s+/g, ' ').trim()} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= normalised.length; i++) grams.add(normalised.slice(i, i + 3));
  return grams;
}
