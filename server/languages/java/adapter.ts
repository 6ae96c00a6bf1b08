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
    const dir = dirname(path);
    return [...paths].filter((p) => p !== path && p.endsWith('.java') && dirname(p) === dir && !/(?:package|module)-info\.java$/.test(p));
  },
  readApi: readJavaApi,
  compare: compareJavaApis,
  usesOf: javaUsesOf,
  debugLeftovers: javaDebugLeftovers,
  enclosingDeclaration: enclosingJavaDeclaration,
};
