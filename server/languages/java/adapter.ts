/**
 * Java in the language-neutral model: one compilation unit per file, packages as
 * directories (a wildcard import names the directory; the other files of a
 * package use its classes without importing them).
 */
import type { LanguageAdapter } from '../model';
import { readJavaApi } from './api';
import { compareJavaApis } from './compare';
import { javaDebugLeftovers } from './debugLeftovers';
import { enclosingJavaDeclaration } from './enclosing';
import { extractJava } from './extract';
import { isGeneratedJava } from './generated';
import { createJavaResolver, dirname, isJavaResolutionInput } from './resolve';
import { javaUsesOf } from './uses';

/**
 * The directories holding a directory's package: itself, and its twin across
 * Maven's and Gradle's main and test roots (tests of a package use its classes
 * without importing them).
 */
function samePackageDirs(dir: string): Set<string> {
  const dirs = new Set([dir]);
  const twin = /(^|\/)src\/(main|test)\/java(\/|$)/.exec(dir);
  if (twin) {
    const other = twin[2] === 'main' ? 'test' : 'main';
    dirs.add(`${dir.slice(0, twin.index)}${twin[1]}src/${other}/java${twin[3]}${dir.slice(twin.index + twin[0].length)}`);
  }
  return dirs;
}

export const javaAdapter: LanguageAdapter = {
  id: 'java',
  displayName: 'Java',
  extensions: ['.java'],
  grammar: 'tree-sitter-java.wasm',
  isGenerated: isGeneratedJava,
  extract: extractJava,
  isResolutionInput: isJavaResolutionInput,
  createResolver: createJavaResolver,
  unitOf: (path) => path,
  filesOfUnit: (unit) => [unit],
  importTargetsOf: (path) => {
    const dir = dirname(path);
    return dir === '' ? [path] : [path, dir];
  },
  implicitDependentsOf: (path, paths) => {
    const dirs = samePackageDirs(dirname(path));
    return [...paths].filter((p) => p !== path && p.endsWith('.java') && dirs.has(dirname(p)) && !/(?:package|module)-info\.java$/.test(p));
  },
  readApi: readJavaApi,
  compare: compareJavaApis,
  usesOf: javaUsesOf,
  debugLeftovers: javaDebugLeftovers,
  enclosingDeclaration: enclosingJavaDeclaration,
};
