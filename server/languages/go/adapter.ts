/**
 * Go: a package is a directory, its API the capitalised names of its non-test
 * files; imports resolve through go.mod and go.work module paths; breaking changes
 * are the ones after which code written against the old package stops compiling.
 */
import type { LanguageAdapter } from '../model';
import { readApi } from './api';
import { compare } from './compare';
import { debugLeftovers } from './debugLeftovers';
import { enclosingDeclaration } from './enclosing';
import { extract } from './extract';
import { filesOfUnit, implicitDependentsOf, importTargetsOf, unitOf } from './package';
import { createResolver, isResolutionInput } from './resolve';
import { usesOf } from './uses';

/** Go's convention (https://go.dev/s/generatedcode): this exact line, before the package clause. */
const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;

export function isGenerated(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*package\s/.test(line)) return false;
    if (GENERATED.test(line)) return true;
  }
  return false;
}

export const goAdapter: LanguageAdapter = {
  id: 'go',
  displayName: 'Go',
  extensions: ['.go'],
  grammar: 'tree-sitter-go.wasm',
  isGenerated,
  extract,
  isResolutionInput,
  createResolver,
  unitOf,
  filesOfUnit,
  importTargetsOf,
  implicitDependentsOf,
  readApi,
  compare,
  usesOf,
  debugLeftovers,
  enclosingDeclaration,
};
