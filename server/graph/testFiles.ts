/**
 * Which files are tests, by the conventions of each language the index reads:
 * what `diffwise impact --tests` lists and the graph marks. Path-only, so it costs
 * nothing per file and works on files the index never parsed.
 */
import type { GraphLanguage } from '../../shared/impact';

const BY_LANGUAGE: Record<GraphLanguage, (path: string, name: string) => boolean> = {
  typescript: isScriptTest,
  javascript: isScriptTest,
  python: (path, name) => /^test_.*\.py$/.test(name) || /_test\.py$/.test(name) || /(?:^|\/)tests\//.test(path),
  go: (_path, name) => name.endsWith('_test.go'),
  java: (path, name) => /(?:^|\/)src\/test\/java\//.test(path) || /(?:Test|Tests|IT)\.java$/.test(name),
};

function isScriptTest(path: string, name: string): boolean {
  return /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(name) || /(?:^|\/)(?:__tests__|tests?)\//.test(path);
}

/** The language of a path as the graph names it; null for a file the index does not read. */
export function graphLanguageOf(path: string): GraphLanguage | null {
  const match = /\.([a-z]+)$/i.exec(path);
  switch (match?.[1]?.toLowerCase()) {
    case 'ts': case 'tsx': case 'mts': case 'cts': return 'typescript';
    case 'js': case 'jsx': case 'mjs': case 'cjs': return 'javascript';
    case 'py': return 'python';
    case 'go': return 'go';
    case 'java': return 'java';
    default: return null;
  }
}

/** Whether `path` (repository-relative, forward slashes) is a test file by its language's conventions. */
export function isTestFile(path: string): boolean {
  const language = graphLanguageOf(path);
  return language !== null && BY_LANGUAGE[language](path, path.slice(path.lastIndexOf('/') + 1));
}
