/**
 * The language-neutral model of the languages parsed by tree-sitter (Python, Go,
 * Java): what the index stores of a file, what the breaking-change rule compares,
 * what the debug-leftover rule and the LLM's context look for. Each language is one
 * folder under server/languages/ with an adapter implementing `LanguageAdapter`;
 * the index, the rules and the cache only ever talk to this interface, so a fifth
 * language is one new folder and one line in registry.ts.
 *
 * TypeScript and JavaScript stay on the TypeScript parser and its type checker
 * (server/index, server/review/compatibility): they are judged by the compiler,
 * which no structural model can match.
 */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import type { Extraction } from '../index/extractor';
import type { StoredImport } from '../store/indexStore';

export type LanguageId = 'python' | 'go' | 'java';

/** A file of one of these languages, parsed. The tree belongs to whoever parsed it (it lives in WebAssembly memory: `delete()` frees it). */
export interface ParsedFile {
  /** Repository-relative path, `/`-separated. */
  path: string;
  text: string;
  tree: Tree;
}

// ---------------------------------------------------------------------------------------------
// The exported API: what code written against a module can depend on.

/**
 * How a caller can pass a parameter. Python has all five; Go and Java only
 * `positional` and `var-positional` (`...T`, `T...`).
 */
export type ParamKind = 'positional-only' | 'positional' | 'keyword-only' | 'var-positional' | 'var-keyword';

export interface ApiParam {
  name: string;
  kind: ParamKind;
  /** The declared type as written, whitespace collapsed; null when none is declared (Python without an annotation). */
  type: string | null;
  /** The parameter has a default value (Python): a caller may leave it out. */
  hasDefault: boolean;
}

export type ApiKind =
  | 'function' | 'method' | 'constructor'
  | 'class' | 'interface' | 'struct' | 'enum' | 'record' | 'annotation' | 'type'
  | 'field' | 'constant' | 'variable' | 'enum-constant';

/**
 * One public declaration: a module-level name, or (in `members`) a public member
 * of a public type. `name` is what dependents write (`parse`, `Client`, `Client.send`
 * is the member `send` of the declaration `Client`).
 */
export interface ApiDeclaration {
  name: string;
  kind: ApiKind;
  /** Where it is declared (a Go package spans files): repository-relative path, 1-based inclusive lines. */
  file: string;
  line: number;
  endLine: number;
  /** Java's `protected` is API for subclasses only; everything else listed here is public. */
  visibility: 'public' | 'protected';
  /**
   * What else callers and implementers depend on, as flags: `static`, `final`,
   * `abstract`, `default` (a Java interface method with a body), `sealed`,
   * `async`, `classmethod`, `staticmethod`, `property`, `generator`.
   */
  modifiers: string[];
  /** Callables: the parameters in order (a Go method's receiver and a Python method's `self`/`cls` excluded). */
  params?: ApiParam[];
  /** Callables: the declared return type(s) as written; null when none is declared. */
  returns?: string | null;
  /** Type parameters with their bounds as written (Java `<T extends Number>`, Go `[T comparable]`). */
  typeParams?: Array<{ name: string; bound: string | null }>;
  /** Java: the checked exceptions declared by `throws`. */
  throws?: string[];
  /** Types: base classes, implemented or extended interfaces, Go embedded types. */
  bases?: string[];
  /** Fields, constants, variables: the declared type; Go `type X Y`: the underlying type's text. */
  type?: string | null;
  /** Types: their public (and protected) members, including Go methods declared on the type. */
  members?: ApiDeclaration[];
}

/** The API of one unit (a Python module, a Go package, a Java compilation unit). */
export interface UnitApi {
  declarations: ApiDeclaration[];
  /**
   * Some file of the unit has a syntax error (a tree-sitter ERROR or MISSING node):
   * a declaration missing from such a version may be hidden by the error, so it is
   * never reported as removed.
   */
  hasSyntaxError: boolean;
}

/**
 * One way in which code written against the old API stops compiling (Go, Java) or
 * stops working when called (Python).
 */
export interface ApiBreak {
  /** The module-level name dependents use (`Client` for a break of `Client.send`). */
  name: string;
  /** The member that broke (`send`), or null when the declaration itself did. */
  member: string | null;
  /** Who breaks: code that calls or reads it, code that implements, extends or overrides it, or both. */
  affects: 'callers' | 'implementers' | 'both';
  /** One sentence, Markdown code spans for names: "`parse` lost its parameter `strict`". */
  message: string;
  /**
   * Where to report it: the declaration in the new version, or in the old one when
   * it is gone (the rule maps the old line onto the new file).
   */
  at: { side: 'new' | 'old'; file: string; line: number; endLine: number };
  /** Stable across line moves: which break of which name (never code that may hold a secret). */
  fingerprint: string;
}

// ---------------------------------------------------------------------------------------------
// Resolution: which workspace files an import names.

/** What a resolver may look at: every file the workspace has (the index's catalogue) and their texts. */
export interface ProjectView {
  /** Every workspace path the index knows (all languages), repository-relative. */
  readonly paths: ReadonlySet<string>;
  /** A workspace file's text (build files: `pyproject.toml`, `go.mod`, `pom.xml`…), null when absent or unreadable. */
  readText(path: string): string | null;
}

export interface ModuleResolver {
  /**
   * The workspace path an import of `importer` names: a file (a Python module, a
   * Java class), or a directory (a Go package, a Java wildcard import), without a
   * trailing `/`; null for the standard library, a dependency, or nothing found.
   */
  resolve(importer: string, specifier: string): string | null;
}

// ---------------------------------------------------------------------------------------------
// Debug leftovers and the LLM's context.

export interface DebugLeftover {
  /** What was found, the first half of the fingerprint: `print`, `breakpoint`, `fmt.Println`, `System.out.println`. */
  kind: string;
  message: string;
  /** 1-based lines of the offending call or statement. */
  startLine: number;
  endLine: number;
  /** UTF-16 offsets `[start, end)` of the code itself (the call, the import), for the finding's columns. */
  start: number;
  end: number;
  /** The whole statement stands on its own lines and can be deleted without changing what else runs: the quick fix removes them. */
  removable: boolean;
}

/** A named declaration around some lines: a function, a method, a class. */
export interface EnclosingDeclaration {
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
}

// ---------------------------------------------------------------------------------------------
// The adapter.

export interface LanguageAdapter {
  id: LanguageId;
  /** Shown to users: "Python". */
  displayName: string;
  /** Lower-case file extensions with the dot: `.py`, `.pyi`. */
  extensions: readonly string[];
  /** The grammar's file in @vscode/tree-sitter-wasm's `wasm/` folder. */
  grammar: string;

  /**
   * Generated code (`# Code generated … DO NOT EDIT.`, `@Generated`): indexed, but
   * not reviewed; the review says so.
   */
  isGenerated(text: string): boolean;

  /** The index's view of a file: its declarations (top-level, plus public members as `Type.member`) and its imports. */
  extract(file: ParsedFile): Extraction;

  /** Whether a workspace path is a build file whose content changes how imports resolve (`go.mod`, `pyproject.toml`, `pom.xml`…). */
  isResolutionInput(path: string): boolean;
  createResolver(project: ProjectView): ModuleResolver;

  /**
   * The unit whose API is compared as one: the file itself (Python, Java) or its
   * directory (Go: a package is every non-test `.go` file of a directory).
   */
  unitOf(path: string): string;
  /** The files of a unit, given every path the workspace has (for a file unit: itself). */
  filesOfUnit(unit: string, paths: ReadonlySet<string>): string[];
  /**
   * The resolved import targets through which a dependent can use `path`'s API
   * (its own path; its directory for a Go package or a Java wildcard import).
   */
  importTargetsOf(path: string): string[];
  /** Files that use `path`'s API without importing it (Java and Go: the other files of the same package). */
  implicitDependentsOf?(path: string, paths: ReadonlySet<string>): string[];

  /** The public API of a unit's files, as they are in one version. */
  readApi(files: readonly ParsedFile[]): UnitApi;
  /** What breaks between two versions of a unit's API: compatible changes (new optional parameters, new overloads, bodies) are not breaks. */
  compare(before: UnitApi, after: UnitApi): ApiBreak[];

  /**
   * The 1-based lines of `dependent` that use what `broken` broke: calls and
   * references of `broken.name` (or of its member, through the name or a value of
   * its type as far as syntax shows), and for `implementers` the types that extend
   * or implement it. `imports` are the dependent's import rows that name the unit
   * (empty for an implicit dependent).
   */
  usesOf(dependent: ParsedFile, imports: readonly StoredImport[], broken: ApiBreak): number[];

  /** Debug leftovers anywhere in the file (the rule keeps those on added lines). */
  debugLeftovers(file: ParsedFile): DebugLeftover[];

  /** The innermost function, method or class holding lines `from..to`, for the LLM's context. */
  enclosingDeclaration(file: ParsedFile, from: number, to: number): EnclosingDeclaration | null;
}

/** The 1-based first line of a node (tree-sitter rows are 0-based). */
export function startLineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** The 1-based last line of a node (a node ending at column 0 of a row ends on the row before). */
export function endLineOf(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

/** Whether a tree has a syntax error: tree-sitter marks them with ERROR and MISSING nodes. */
export function hasSyntaxError(tree: Tree): boolean {
  return tree.rootNode.hasError;
}

/**
 * Whitespace folded the same way whatever the formatting, for comparing types and
 * signatures as written and for showing them: one space between words (`b []byte`,
 * `int[] a` stay readable), none inside brackets, one after a comma.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([([<{]) /g, '$1').replace(/ ([)\]>},])/g, '$1').replace(/,(?! )/g, ', ').trim();
}
