/**
 * Which files are tests, by the conventions of each language the index reads:
 * what `diffwise impact --tests` lists and the graph marks. Path-only, so it costs
 * nothing per file and works on files the index never parsed.
 */
import type { GraphLanguage } from '../../shared/impact';

/**
 * The test runners' own defaults, so that `--tests | xargs <runner>` runs tests and
 * not their helpers: Jest's (`__tests__/` folders, `.test`/`.spec` suffixes) and
 * Mocha's (the files directly in `test/`); pytest's `python_files` (`test_*.py`,
 * `*_test.py`; not `conftest.py`); `go test`'s `_test.go`; Maven Surefire's and
 * Failsafe's includes (`Test*`, `*Test`, `*Tests`, `*TestCase`, `IT*`, `*IT`, `*ITCase`).
 * A helper in a test folder is no test, but the tests that import it are found through it.
 */
const BY_LANGUAGE: Record<GraphLanguage, (path: string, name: string) => boolean> = {
  typescript: isScriptTest,
  javascript: isScriptTest,
  python: (_path, name) => /^test_.*\.py$/.test(name) || /_test\.py$/.test(name),
  go: (_path, name) => name.endsWith('_test.go'),
  java: (_path, name) => /^(?:Test|IT)[A-Z0-9_].*\.java$/.test(name) || /(?:Test|Tests|TestCase|IT|ITCase)\.java$/.test(name),
};

/** Fixtures, mocks and helpers live beside tests without being any. */
const TEST_SUPPORT_FOLDER = /(?:^|\/)(?:__fixtures__|__mocks__|fixtures?|helpers?|support|utils?)\//;

function isScriptTest(path: string, name: string): boolean {
  if (/\.(?:test|spec)\.[cm]?[jt]sx?$/.test(name)) return true;
  if (TEST_SUPPORT_FOLDER.test(path) || /\.d\.[cm]?ts$/.test(name)) return false;
  return /(?:^|\/)__tests__\//.test(path) || /(?:^|\/)tests?\/[^/]+$/.test(path);
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
