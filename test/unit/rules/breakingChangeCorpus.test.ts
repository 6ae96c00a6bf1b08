import * as assert from 'node:assert/strict';
import { getLibFiles } from '@ts-morph/common';
import { ts } from 'ts-morph';
import { CORPUS, type CorpusCase } from './breakingChangeCorpus';

const LIB_DIR = '/lib';
const SRC_DIR = '/p/src';
const libTexts = new Map(getLibFiles().map((f) => [`${LIB_DIR}/${f.fileName}`, f.text]));
// Parsing the libs dominates a program's cost; they never change, so every program shares them.
const libSourceFiles = new Map<string, ts.SourceFile>();

const options: ts.CompilerOptions = {
  strict: true,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  esModuleInterop: true,
  noEmit: true,
  types: [],
  skipLibCheck: true,
};

/** The syntactic and semantic diagnostics of the given `src/` files, compiled together with nothing else. */
function diagnose(sources: Record<string, string>): ts.Diagnostic[] {
  const files = new Map<string, string>(libTexts);
  for (const [name, text] of Object.entries(sources)) files.set(`${SRC_DIR}/${name}`, text);
  const host: ts.CompilerHost = {
    fileExists: (fileName) => files.has(fileName),
    readFile: (fileName) => files.get(fileName),
    directoryExists: (dir) => dir === LIB_DIR || dir === SRC_DIR || dir === '/p' || dir === '/',
    getSourceFile: (fileName, languageVersion) => {
      const text = files.get(fileName);
      if (text === undefined) return undefined;
      if (!fileName.startsWith(`${LIB_DIR}/`)) return ts.createSourceFile(fileName, text, languageVersion);
      let sourceFile = libSourceFiles.get(fileName);
      if (!sourceFile) libSourceFiles.set(fileName, (sourceFile = ts.createSourceFile(fileName, text, languageVersion)));
      return sourceFile;
    },
    getDefaultLibFileName: () => `${LIB_DIR}/lib.es2022.d.ts`,
    getDefaultLibLocation: () => LIB_DIR,
    writeFile: () => undefined,
    getCurrentDirectory: () => '/p',
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
  };
  const program = ts.createProgram({ rootNames: Object.keys(sources).map((name) => `${SRC_DIR}/${name}`), options, host });
  const own = program.getSourceFiles().filter((f) => f.fileName.startsWith(`${SRC_DIR}/`));
  return [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
}

function render(diagnostics: readonly ts.Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file?.fileName ?? ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`).join('\n');
}

/** Re-exports from './a' stand for a module the corpus leaves out, so its absence (TS2307) is expected there. */
function ownDiagnostics(text: string): ts.Diagnostic[] {
  const tolerateMissingA = /from '\.\/a'/.test(text);
  return diagnose({ 'api.ts': text }).filter((d) => !(tolerateMissingA && d.code === 2307));
}

describe('breaking-change corpus', () => {
  it('has unique names, a kind, and a witness or expectation only where breaking', () => {
    const names = CORPUS.map((c) => c.name);
    assert.deepEqual(names.filter((name, i) => names.indexOf(name) !== i), []);
    for (const c of CORPUS) {
      assert.ok(c.kind, c.name);
      assert.notEqual(c.oldText, c.newText, c.name);
      if (c.breaking) {
        assert.ok(c.expect !== undefined, `${c.name}: breaking cases say what the message should mention`);
        assert.doesNotThrow(() => new RegExp(c.expect!, 'i'), c.name);
      } else {
        assert.equal(c.witness, undefined, c.name);
        assert.equal(c.expect, undefined, c.name);
      }
      if (c.witness !== undefined) assert.match(c.witness, /from '\.\/api'|require\('\.\/api'\)/, c.name);
    }
  });

  it('is balanced between breaking and compatible cases', () => {
    const broken = CORPUS.filter((c) => c.breaking).length;
    assert.ok(broken >= CORPUS.length * 0.35 && broken <= CORPUS.length * 0.65, `${broken} of ${CORPUS.length} are breaking`);
  });

  describe('texts are valid modules on their own', () => {
    for (const c of CORPUS) {
      it(c.name, () => {
        assert.equal(render(ownDiagnostics(c.oldText)), '', 'old text');
        assert.equal(render(ownDiagnostics(c.newText)), '', 'new text');
      });
    }
  });

  describe('witnesses compile against the old text and not against the new', () => {
    const witnessed = CORPUS.filter((c): c is CorpusCase & { witness: string } => c.breaking && c.witness !== undefined);
    for (const c of witnessed) {
      it(c.name, () => {
        assert.equal(render(diagnose({ 'api.ts': c.oldText, 'user.ts': c.witness })), '', 'against the old text');
        const after = diagnose({ 'api.ts': c.newText, 'user.ts': c.witness });
        assert.ok(after.some((d) => d.file?.fileName === `${SRC_DIR}/user.ts`), `the witness still compiles against the new text:\n${render(after)}`);
      });
    }
  });
});
