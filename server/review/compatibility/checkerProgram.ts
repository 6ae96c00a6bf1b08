/**
 * A small, in-memory TypeScript program for the compatibility check: the files a
 * review compares (old and new versions side by side, and the probes written
 * against them) live in memory; what they import is read from the work tree on
 * demand; the standard library comes from the compiler's own lib texts. Nothing
 * here runs while indexing: the checker is built only for the modules a review
 * compares, once per review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLibFiles } from '@ts-morph/common';
import { ts } from 'ts-morph';

/** Where the lib files appear to be: a folder that no workspace has. */
const LIB_DIR = '/__diffwise_lib__';

/**
 * ES2023 without the DOM keeps program creation cheap (the DOM's lib is larger
 * than all the others together); a workspace that targets the browser gets it
 * when a compared module names a DOM type (see `needsDom`).
 */
const BASE_LIBS = ['lib.es2023.d.ts'];
const DOM_LIBS = ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'];

export interface CheckerProgramOptions {
  /** Absolute path of the work tree: files outside it (but the libs) are never read. */
  root: string | undefined;
  /** Absolute path → text: the versions under review, the probes. They shadow the disk. */
  overlay: ReadonlyMap<string, string>;
  /** Files to type-check (absolute); their imports are followed. */
  rootNames: readonly string[];
  /** Include the DOM's types. */
  dom: boolean;
  /** Include `@types/node` (when the workspace has it). */
  nodeTypes: boolean;
  /** A program over the same files to reuse the parse of. */
  oldProgram?: ts.Program;
  /** The workspace's own module resolution (`paths`, `baseUrl`), from its tsconfig. */
  resolution?: ts.CompilerOptions;
  /**
   * How many imports away from `rootNames` a file may be and still be loaded;
   * what lies further is left unresolved (its types are \`any\` on both sides of a
   * comparison). Without a limit a module that imports a package's hub loads the
   * whole package. Undefined: no limit.
   */
  maxImportDepth?: number;
  /**
   * More files (absolute path → text) the import depth counts from, though they
   * are not loaded for themselves: what they import directly may be loaded.
   */
  depthRoots?: ReadonlyMap<string, string>;
}

let libTexts: Map<string, string> | undefined;

/** Parsed lib files and dependencies, kept across programs: parsing them is most of a program's cost. */
const sourceFileCache = new Map<string, { text: string; sourceFile: ts.SourceFile }>();
const MAX_CACHED_FILES = 4000;

/** Whether a file is one of the standard library's (`Array`, `Promise`, `Error`…). */
export function isLibFile(fileName: string): boolean {
  return fileName.startsWith(`${LIB_DIR}/`);
}

function libText(fileName: string): string | undefined {
  libTexts ??= new Map(getLibFiles().map((file) => [`${LIB_DIR}/${file.fileName}`, file.text]));
  return libTexts.get(fileName);
}

function compilerOptions(options: Pick<CheckerProgramOptions, 'dom' | 'nodeTypes'>): ts.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    // `Preserve` admits both `import x = require()` (for `export =` modules) and ES imports.
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    checkJs: false,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    jsx: ts.JsxEmit.Preserve,
    experimentalDecorators: true,
    noEmit: true,
    skipLibCheck: true,
    // Without this TypeScript loads every @types package it can find.
    types: options.nodeTypes ? ['node'] : [],
    lib: options.dom ? [...BASE_LIBS, ...DOM_LIBS] : BASE_LIBS,
  };
}

export function createCheckerProgram(options: CheckerProgramOptions): ts.Program {
  const compiler = { ...compilerOptions(options), ...options.resolution };
  const root = options.root ? path.resolve(options.root) : undefined;
  const insideRoot = (fileName: string) => root !== undefined && (fileName === root || fileName.startsWith(root + path.sep));
  const readDisk = (fileName: string): string | undefined => {
    if (!insideRoot(fileName)) return undefined;
    try {
      return fs.readFileSync(fileName, 'utf8');
    } catch {
      return undefined;
    }
  };
  const readFile = (fileName: string): string | undefined =>
    options.overlay.get(fileName) ?? (fileName.startsWith(LIB_DIR) ? libText(fileName) : readDisk(fileName));
  const overlayDirs = new Set<string>();
  for (const fileName of options.overlay.keys()) {
    for (let dir = path.dirname(fileName); !overlayDirs.has(dir); dir = path.dirname(dir)) {
      overlayDirs.add(dir);
      if (dir === path.dirname(dir)) break;
    }
  }

  const host: ts.CompilerHost = {
    jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
    getSourceFile(fileName, languageVersion) {
      const text = readFile(fileName);
      // JSDoc carries types only in JavaScript: TypeScript files (the libs, most dependencies) skip parsing it.
      const parse = () => ts.createSourceFile(fileName, text!, { ...(typeof languageVersion === 'object' ? languageVersion : { languageVersion }), jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo }, true);
      if (text === undefined) return undefined;
      // The files under review change from one review to the next: only the rest is shared
      // across reviews. Within one, the programs built on each other (compared modules, then
      // probes, then importers) parse each version once: the previous program's tree is reused.
      if (options.overlay.has(fileName)) {
        const previous = options.oldProgram?.getSourceFile(fileName);
        return previous && previous.text === text ? previous : parse();
      }
      const cached = sourceFileCache.get(fileName);
      if (cached && cached.text === text) return cached.sourceFile;
      const sourceFile = parse();
      if (sourceFileCache.size >= MAX_CACHED_FILES) sourceFileCache.delete(sourceFileCache.keys().next().value!);
      sourceFileCache.set(fileName, { text, sourceFile });
      return sourceFile;
    },
    getDefaultLibFileName: (opts) => `${LIB_DIR}/${ts.getDefaultLibFileName(opts)}`,
    getDefaultLibLocation: () => LIB_DIR,
    writeFile: () => undefined,
    getCurrentDirectory: () => root ?? '/',
    getDirectories: (dir) => {
      if (!insideRoot(dir)) return [];
      try {
        return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      } catch {
        return [];
      }
    },
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (fileName) => options.overlay.has(fileName) || (fileName.startsWith(LIB_DIR) ? libText(fileName) !== undefined : insideRoot(fileName) && isFile(fileName)),
    readFile,
    directoryExists: (dir) => overlayDirs.has(dir) || dir === LIB_DIR || (insideRoot(dir) && isDirectory(dir)),
    realpath: (fileName) => {
      if (!insideRoot(fileName)) return fileName;
      try {
        // pnpm links packages from elsewhere in the tree; a link that leaves the work tree is not followed.
        const real = fs.realpathSync(fileName);
        return insideRoot(real) ? real : fileName;
      } catch {
        return fileName;
      }
    },
  };
  if (options.maxImportDepth !== undefined) {
    const allowed = filesWithin(options.rootNames, options.depthRoots ?? new Map(), options.maxImportDepth, compiler, host);
    const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (fileName) => fileName, compiler);
    host.resolveModuleNameLiterals = (literals, containingFile, redirected, resolutionOptions, containingSourceFile) => literals.map((literal) => {
      const resolved = ts.resolveModuleName(literal.text, containingFile, resolutionOptions, host, cache, redirected, ts.getModeForUsageLocation(containingSourceFile, literal, resolutionOptions));
      return resolved.resolvedModule && !allowed.has(resolved.resolvedModule.resolvedFileName) ? { resolvedModule: undefined } : resolved;
    });
  }
  return ts.createProgram({ rootNames: [...options.rootNames], options: compiler, host, oldProgram: options.oldProgram });
}

/**
 * The files at most `depth` imports away from `roots` or `moreRoots`, found with
 * the scanner alone (ts.preProcessFile): far cheaper than parsing what the limit
 * leaves out.
 */
function filesWithin(roots: readonly string[], moreRoots: ReadonlyMap<string, string>, depth: number, options: ts.CompilerOptions, host: ts.CompilerHost): Set<string> {
  const allowed = new Set([...roots, ...moreRoots.keys()]);
  let frontier = [...allowed];
  for (let level = 0; level < depth && frontier.length; level++) {
    const next: string[] = [];
    for (const file of frontier) {
      const text = level === 0 && moreRoots.has(file) && !roots.includes(file) ? moreRoots.get(file) : host.readFile(file);
      if (text === undefined) continue;
      for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
        const resolved = ts.resolveModuleName(imported.fileName, file, options, host).resolvedModule?.resolvedFileName;
        if (resolved && !allowed.has(resolved)) {
          allowed.add(resolved);
          next.push(resolved);
        }
      }
    }
    frontier = next;
  }
  return allowed;
}

function isFile(fileName: string): boolean {
  try {
    return fs.statSync(fileName).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The module resolution settings of the tsconfig.json (or jsconfig.json) nearest
 * to `file` (absolute), within the work tree: imports through `paths` aliases
 * must reach the same files as in the user's build. `dom` says whether its
 * `lib` names the DOM: the DOM's lib is most of a program's parse, so it is
 * loaded only for a workspace that asks for it by name (where it is left out,
 * DOM types are unknown on both sides of a comparison, and say nothing).
 */
export function workspaceResolution(root: string | undefined, file: string): { options: ts.CompilerOptions; dom: boolean } {
  const none = { options: {}, dom: false };
  if (!root) return none;
  for (let dir = path.dirname(file); dir.startsWith(root); dir = path.dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const configPath = path.join(dir, name);
      if (!isFile(configPath)) continue;
      const read = ts.readConfigFile(configPath, ts.sys.readFile);
      if (read.error) return none;
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, configPath);
      const { paths, baseUrl, pathsBasePath, rootDirs, customConditions } = parsed.options;
      return {
        options: Object.fromEntries(Object.entries({ paths, baseUrl, pathsBasePath, rootDirs, customConditions }).filter(([, value]) => value !== undefined)),
        dom: parsed.options.lib?.some((lib) => /lib\.dom/i.test(lib)) ?? false,
      };
    }
    if (dir === root) break;
  }
  return none;
}

/** Whether a module's text names a DOM type, so that its API cannot be typed without the DOM lib. */
export function needsDom(text: string): boolean {
  return /\b(HTML[A-Za-z]*Element|Element|Document|Window|Event|EventTarget|Node|Response|Request|Headers|URLSearchParams|AbortSignal|Blob|File|FormData|ReadableStream|WebSocket|CSSStyleDeclaration|MouseEvent|KeyboardEvent)\b/.test(text);
}

/** Whether a module's text uses Node's types, so that `@types/node` is worth loading. */
export function needsNodeTypes(text: string): boolean {
  return /\bfrom\s+['"](node:|fs['"]|path['"]|events['"]|stream['"]|http['"]|child_process['"]|crypto['"]|os['"]|url['"]|util['"])|\b(Buffer|NodeJS\.)/.test(text);
}
