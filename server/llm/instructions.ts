/**
 * The team's instructions to the LLM reviewer: `.diffwise/instructions.md`.
 * Text outside path sections applies to every file; a `##` heading that names a
 * glob in backticks (`` ## `src/api/**` ``, several separated by commas) starts
 * a section that applies only to matching paths, up to the next `##` heading.
 *
 *     Prefer early returns. We target Node 20.
 *
 *     ## `src/db/**`
 *     Every query must go through `sql` tagged templates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/** Larger files are cut here: instructions are a page, not a manual, and they are sent with every hunk. */
export const MAX_INSTRUCTIONS_CHARS = 16_000;

export interface Instructions {
  /** The file as read, repository-relative. */
  file: string;
  general: string;
  sections: Array<{ globs: string[]; text: string; matches: (path: string) => boolean }>;
}

/** Reads the instructions file; null when there is none. Throws with the path when it cannot be read. */
export function loadInstructions(repoRoot: string, relativePath: string): Instructions | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(repoRoot, relativePath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read ${relativePath}: ${(error as Error).message}`, { cause: error });
  }
  return parseInstructions(relativePath, text.slice(0, MAX_INSTRUCTIONS_CHARS));
}

export function parseInstructions(file: string, text: string): Instructions {
  const general: string[] = [];
  const pathSections: Array<{ globs: string[]; lines: string[] }> = [];
  let current = general;
  for (const line of text.split(/\r?\n/)) {
    const heading = /^##\s+(.*?)\s*$/.exec(line);
    const globs = heading ? [...heading[1].matchAll(/`([^`]+)`/g)].map((match) => match[1].trim()).filter(Boolean) : [];
    if (globs.length > 0) {
      current = [];
      pathSections.push({ globs, lines: current });
      continue;
    }
    // A `##` heading that names no path ends the path section: what follows applies to all files.
    if (heading) current = general;
    current.push(line);
  }
  return {
    file,
    general: general.join('\n').trim(),
    sections: pathSections.map(({ globs, lines }) => ({ globs, text: lines.join('\n').trim(), matches: picomatch(globs, { dot: true }) })),
  };
}

/** The instructions that apply to `filePath`: the general text, then each matching section. */
export function instructionsFor(instructions: Instructions | null, filePath: string): string {
  if (!instructions) return '';
  const parts = [instructions.general];
  for (const section of instructions.sections) if (section.matches(filePath) && section.text) parts.push(`For ${section.globs.join(', ')}:\n${section.text}`);
  return parts.filter(Boolean).join('\n\n');
}
