/**
 * Which hunks share a prompt, and the prompt they share. One call per hunk
 * spends most of a review waiting: an endpoint takes about as long to answer a
 * short prompt as a somewhat longer one, and the concurrency limit queues the
 * rest. So the hunks the cache missed are packed, small hunks of one file
 * first (neighbours stay together and the file's sections are shown once),
 * then those runs into prompts with other files', while the prompt stays
 * within the context budget and holds at most MAX_HUNKS_PER_PROMPT hunks. A
 * hunk too big to share goes alone. The packing depends only on the order and
 * the size of the hunks: the same change is always grouped the same way.
 */
import { estimateTokens, INSTRUCTIONS_HEADING, PREFERENCES_HEADING, type HunkPrompt } from './context';

/**
 * The most hunks in one prompt. The answer grows with the hunks asked about
 * (up to MAX_FINDINGS_PER_HUNK findings each, ~40 at most here, well within a
 * small model's output limit), a failed call fails and retries every hunk it
 * holds, and a model's attention to each hunk thins as a prompt gets longer.
 * Eight keeps those small and still lets the default four calls in flight
 * take 32 small hunks in one round.
 */
export const MAX_HUNKS_PER_PROMPT = 8;

/** Something to be asked about: a hunk's prompt with whatever the caller keeps beside it. */
export interface Askable {
  prompt: HunkPrompt;
}

/**
 * `items` in groups, each one prompt: in their order, a file's hunks in runs,
 * the runs first-fit into prompts of at most `maxTokens` estimated tokens (the
 * hunks' lines included) and `maxHunks` hunks. When fewer hunks per prompt
 * give as few prompts, they are spread evenly: the slowest call is then shorter.
 */
export function groupHunks<T extends Askable>(items: readonly T[], maxTokens: number, maxHunks: number = MAX_HUNKS_PER_PROMPT): T[][] {
  if (items.length === 0) return [];
  const packed = pack(items, maxTokens, Math.max(1, maxHunks));
  const even = Math.ceil(items.length / packed.length);
  if (even >= maxHunks) return packed;
  const spread = pack(items, maxTokens, even);
  return spread.length <= packed.length ? spread : packed;
}

function pack<T extends Askable>(items: readonly T[], maxTokens: number, maxHunks: number): T[][] {
  const fits = (group: readonly T[]) => group.length <= maxHunks && promptTokens(group.map((item) => item.prompt)) <= maxTokens;
  const runs: T[][] = [];
  for (const item of items) {
    const run = runs.at(-1);
    if (run && run[0].prompt.path === item.prompt.path && fits([...run, item])) run.push(item);
    else runs.push([item]);
  }
  const groups: T[][] = [];
  for (const run of runs) {
    const group = groups.find((candidate) => fits([...candidate, ...run]));
    if (group) group.push(...run);
    else groups.push(run);
  }
  return groups;
}

/** The estimated tokens of the prompt `composePrompt` makes of `prompts`, by the same rules (no need to render it). */
export function promptTokens(prompts: readonly HunkPrompt[]): number {
  const files = filesOf(prompts);
  const hoisted = sharedInstructions(files);
  let tokens = estimateTokens(overview(prompts)) + (hoisted ? estimateTokens(hoisted) + HEADING_TOKENS : 0);
  for (const [path, hunks] of files) {
    const head = hunks[0];
    tokens += estimateTokens(fileHeading(path, head.status));
    if (head.preferences) tokens += head.tokens.preferences + HEADING_TOKENS;
    if (hoisted === null && head.instructions) tokens += head.tokens.instructions + HEADING_TOKENS;
    for (const hunk of hunks) tokens += hunk.tokens.own;
  }
  // The blank line between parts: under a token each, one for each part but the first.
  return tokens + prompts.length + files.size + (hoisted ? 1 : 0);
}

/** What a section's heading adds (the longest, the preferences', rounded up). */
const HEADING_TOKENS = estimateTokens(`## ${PREFERENCES_HEADING}\n\n\n`);

/** One prompt, in parts (each redacted on its own, so a secret's pattern cannot run from one hunk into the next). */
export interface ComposedPrompt {
  parts: string[];
  /** The label of each prompt, in the order given: `labels[i]` is `prompts[i]`'s. */
  labels: string[];
}

/**
 * The user message for `prompts`: an overview naming each hunk's label, the
 * team's instructions once when every file has the same, then each file with
 * its sections and its hunks, each hunk with its own context.
 */
export function composePrompt(prompts: readonly HunkPrompt[]): ComposedPrompt {
  const files = filesOf(prompts);
  // Labelled in the order shown, which is by file.
  const shown = [...files.values()].flat();
  const labelOf = new Map(shown.map((prompt, index) => [prompt, `H${index + 1}`]));
  const hoisted = sharedInstructions(files);
  const parts = [overview(shown)];
  if (hoisted) parts.push(`# ${INSTRUCTIONS_HEADING}\n${hoisted}`);
  for (const [path, hunks] of files) {
    const head = hunks[0];
    const sections = [fileHeading(path, head.status)];
    if (hoisted === null && head.instructions) sections.push(`## ${INSTRUCTIONS_HEADING}\n${head.instructions}`);
    if (head.preferences) sections.push(`## ${PREFERENCES_HEADING}\n${head.preferences}`);
    parts.push(sections.join('\n\n'));
    for (const hunk of hunks) parts.push(hunk.render(labelOf.get(hunk)!));
  }
  return { parts, labels: prompts.map((prompt) => labelOf.get(prompt)!) };
}

/** The prompts by file, files in the order they first appear. */
function filesOf(prompts: readonly HunkPrompt[]): Map<string, HunkPrompt[]> {
  const files = new Map<string, HunkPrompt[]>();
  for (const prompt of prompts) files.set(prompt.path, [...(files.get(prompt.path) ?? []), prompt]);
  return files;
}

/** The instructions every file of the prompt has ('' when none has any), or null when they differ. */
function sharedInstructions(files: ReadonlyMap<string, HunkPrompt[]>): string | null {
  const distinct = new Set([...files.values()].map((hunks) => hunks[0].instructions));
  return distinct.size === 1 ? [...distinct][0] : null;
}

function overview(prompts: readonly HunkPrompt[]): string {
  const lines = prompts.map((prompt, index) => `- H${index + 1}: ${prompt.path}, lines ${prompt.range.first}–${prompt.range.last}`);
  return `${prompts.length === 1 ? 'One hunk' : `${prompts.length} hunks`} to review; give each finding its hunk's label:\n${lines.join('\n')}`;
}

function fileHeading(path: string, status: string): string {
  return `# File: ${path} (${status})`;
}
