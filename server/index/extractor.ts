/**
 * Extracts what the index keeps of one file: its top-level declarations and its
 * module dependencies. Works on a bare `ts.createSourceFile` parse (no Program, no
 * type checker, no parent pointers) because this runs on every file of the
 * workspace and must cost little more than the parse itself.
 */
import { ts } from 'ts-morph';
import { parseSource } from './languages';
import { lineAtOffset, newlineStarts } from '../lineStarts';

export type SymbolKind = 'function' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'namespace' | 'alias' | 'default';

/** A top-level declaration. Lines are 1-based and inclusive. */
export interface ExtractedSymbol {
  name: string;
  kind: SymbolKind;
  exported: boolean;
  isDefault: boolean;
  startLine: number;
  endLine: number;
  /** The declaration's head: what a caller sees (parameters, types), never the body. */
  signature: string;
}

/**
 * `import` (static), `reexport` (`export { x } from`, `export * as ns from`),
 * `export-all` (`export * from`), `dynamic` (`import('x')`), `require`
 * (`require('x')`, `import x = require('x')`).
 */
export type ImportKind = 'import' | 'reexport' | 'export-all' | 'dynamic' | 'require';

/** One name brought in (or passed on) by an import: `imported` is the exporter's name, `local` ours. */
export interface ImportBinding {
  imported: string;
  local: string;
}

export interface ExtractedImport {
  kind: ImportKind;
  specifier: string;
  line: number;
  typeOnly: boolean;
  /** `import * as ns`, `const ns = require(...)`, `export * as ns from`. */
  namespace: string | null;
  /** `import X from` / `import X, {...} from`. */
  defaultName: string | null;
  bindings: ImportBinding[];
}

export interface Extraction {
  symbols: ExtractedSymbol[];
  imports: ExtractedImport[];
}

const MAX_SIGNATURE = 400;

/** Parses `text` as the file at `path` and extracts its declarations and imports. */
export function extractFile(path: string, text: string): Extraction {
  const sourceFile = parseSource(path, text);
  return extractFromSourceFile(sourceFile);
}

export function extractFromSourceFile(sourceFile: ts.SourceFile): Extraction {
  const symbols: ExtractedSymbol[] = [];
  const imports: ExtractedImport[] = [];
  const line = lineOfPosition(sourceFile);
  const span = (node: ts.Node) => ({ startLine: line(node.getStart(sourceFile)), endLine: line(node.end) });

  const addSymbol = (node: ts.Node, name: string, kind: SymbolKind, exported: boolean, isDefault: boolean, signature: string) => {
    symbols.push({ name, kind, exported, isDefault, ...span(node), signature: collapse(signature) });
  };

  for (const statement of sourceFile.statements) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);

    if (ts.isFunctionDeclaration(statement)) {
      // Overload signatures have no body; the implementation's head is the one that counts.
      const name = statement.name?.text ?? 'default';
      addSymbol(statement, name, 'function', exported, isDefault, headText(statement, statement.body, sourceFile));
    } else if (ts.isClassDeclaration(statement)) {
      const name = statement.name?.text ?? 'default';
      const headEnd = statement.members.pos;
      addSymbol(statement, name, 'class', exported, isDefault, sourceFile.text.slice(statement.getStart(sourceFile), headEnd).replace(/\{\s*$/, ''));
    } else if (ts.isInterfaceDeclaration(statement)) {
      addSymbol(statement, statement.name.text, 'interface', exported, false, statement.getText(sourceFile));
    } else if (ts.isTypeAliasDeclaration(statement)) {
      addSymbol(statement, statement.name.text, 'type', exported, false, statement.getText(sourceFile));
    } else if (ts.isEnumDeclaration(statement)) {
      addSymbol(statement, statement.name.text, 'enum', exported, false, statement.getText(sourceFile));
    } else if (ts.isModuleDeclaration(statement)) {
      addSymbol(statement, statement.name.getText(sourceFile), 'namespace', exported, false, headText(statement, statement.body, sourceFile));
    } else if (ts.isVariableStatement(statement)) {
      const keyword = declarationKeyword(statement.declarationList);
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingNames(declaration.name)) {
          addSymbol(declaration, name, 'variable', exported, false, `${keyword} ${variableHead(declaration, sourceFile)}`);
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      // `export default expr` (or `export = expr`): the module's default export.
      addSymbol(statement, 'default', 'default', true, true, statement.expression.getText(sourceFile));
    } else if (ts.isImportDeclaration(statement)) {
      imports.push(importRecord(statement, sourceFile, line));
    } else if (ts.isExportDeclaration(statement)) {
      exportDeclaration(statement, sourceFile, line, imports, (node, exportedName, localName) =>
        addSymbol(node, exportedName, 'alias', true, exportedName === 'default', localName),
      );
    } else if (ts.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteralLike(reference.expression)) {
        imports.push({
          kind: 'require', specifier: reference.expression.text, line: line(statement.getStart(sourceFile)),
          typeOnly: statement.isTypeOnly, namespace: statement.name.text, defaultName: null, bindings: [],
        });
      }
    } else if (ts.isExpressionStatement(statement)) {
      commonJsExport(statement, sourceFile, addSymbol);
    }
  }

  collectCallImports(sourceFile, imports, line);
  return { symbols, imports };
}

/**
 * The 1-based line of a position, as `getLineAndCharacterOfPosition` gives it. The
 * compiler builds its table of line starts a character at a time (a fifth of the
 * extraction); when every line break is a \n (or \r\n), `indexOf` finds the same
 * starts many times faster. A lone \r, U+2028 or U+2029 leaves it to the compiler.
 */
function lineOfPosition(sourceFile: ts.SourceFile): (pos: number) => number {
  let starts: readonly number[] | null = null;
  return (pos) => {
    if (!starts) {
      const text = sourceFile.text;
      starts = /\r(?!\n)|[\u2028\u2029]/.test(text) ? sourceFile.getLineStarts() : newlineStarts(text);
    }
    return lineAtOffset(starts, pos);
  };
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((modifier) => modifier.kind === kind) ?? false;
}

/** Text from the start of `node` to the start of its body, or all of it when there is none. */
function headText(node: ts.Node, body: ts.Node | undefined, sourceFile: ts.SourceFile): string {
  const start = node.getStart(sourceFile);
  return sourceFile.text.slice(start, body ? body.getStart(sourceFile) : node.end);
}

function variableHead(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile): string {
  const name = declaration.name.getText(sourceFile);
  if (declaration.type) return `${name}: ${declaration.type.getText(sourceFile)}`;
  const init = declaration.initializer;
  if (!init) return name;
  // For a function-valued const the head is what callers see; otherwise a short initializer.
  if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return `${name} = ${headText(init, init.body, sourceFile)}`;
  return `${name} = ${init.getText(sourceFile)}`;
}

function declarationKeyword(list: ts.VariableDeclarationList): string {
  if (list.flags & ts.NodeFlags.Const) return 'const';
  if (list.flags & ts.NodeFlags.Let) return 'let';
  return 'var';
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...bindingNames(element.name));
  }
  return names;
}

function collapse(text: string): string {
  // Cut before folding white space: a long interface would otherwise be folded whole to keep 400 characters.
  const flat = elideTokenLiterals(text.length > MAX_SIGNATURE * 4 ? text.slice(0, MAX_SIGNATURE * 4) : text).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SIGNATURE ? `${flat.slice(0, MAX_SIGNATURE - 1)}…` : flat;
}

/** A run this long without white space is what keys, tokens, hashes and URLs look like; words and prose have none. */
const TOKEN_RUN = /\S{16,}/;

/**
 * Signatures are stored in the index and sent to the LLM as context, so the
 * string literals in them (`const token = "ghp_…"`, a default parameter holding
 * a URL with a password) must not carry a secret: any literal with a token-like
 * run is kept as `"…"`. Short strings and prose (`'utf8'`, `"not found"`) stay:
 * they are what makes a signature readable. A literal cut off by the length
 * limit is elided to its end.
 */
function elideTokenLiterals(text: string): string {
  // Text between literals is copied a run at a time: a string built a character at a time
  // cost more to fold than the parse of the declaration it came from.
  const quotes = /["'`]/g;
  let out = '';
  let i = 0;
  while (i < text.length) {
    quotes.lastIndex = i;
    const found = quotes.exec(text);
    if (!found) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, found.index);
    i = found.index;
    const quote = text[i];
    let end = i + 1;
    while (end < text.length && text[end] !== quote) end += text[end] === '\\' ? 2 : 1;
    const content = text.slice(i + 1, Math.min(end, text.length));
    out += TOKEN_RUN.test(content) ? `${quote}…${end < text.length ? quote : ''}` : text.slice(i, end + 1);
    i = end + 1;
  }
  return out;
}

function importRecord(statement: ts.ImportDeclaration, sourceFile: ts.SourceFile, line: (pos: number) => number): ExtractedImport {
  const clause = statement.importClause;
  const record: ExtractedImport = {
    kind: 'import',
    specifier: (statement.moduleSpecifier as ts.StringLiteral).text,
    line: line(statement.getStart(sourceFile)),
    typeOnly: clause?.isTypeOnly ?? false,
    namespace: null,
    defaultName: clause?.name?.text ?? null,
    bindings: [],
  };
  const named = clause?.namedBindings;
  if (named && ts.isNamespaceImport(named)) record.namespace = named.name.text;
  if (named && ts.isNamedImports(named)) {
    for (const element of named.elements) {
      record.bindings.push({ imported: (element.propertyName ?? element.name).text, local: element.name.text });
    }
  }
  return record;
}

function exportDeclaration(
  statement: ts.ExportDeclaration,
  sourceFile: ts.SourceFile,
  line: (pos: number) => number,
  imports: ExtractedImport[],
  addAlias: (node: ts.Node, exportedName: string, localName: string) => void,
): void {
  const specifier = statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier) ? statement.moduleSpecifier.text : null;
  const clause = statement.exportClause;
  const base = { line: line(statement.getStart(sourceFile)), typeOnly: statement.isTypeOnly, defaultName: null };
  if (specifier === null) {
    // `export { a, b as c }` of local declarations: each exported name is an alias of a local one.
    if (clause && ts.isNamedExports(clause)) {
      for (const element of clause.elements) addAlias(element, moduleExportName(element.name), moduleExportName(element.propertyName ?? element.name));
    }
    return;
  }
  if (!clause) {
    imports.push({ ...base, kind: 'export-all', specifier, namespace: null, bindings: [] });
  } else if (ts.isNamespaceExport(clause)) {
    const name = moduleExportName(clause.name);
    imports.push({ ...base, kind: 'reexport', specifier, namespace: name, bindings: [] });
    addAlias(clause, name, `* from ${specifier}`);
  } else {
    const bindings = clause.elements.map((element) => ({ imported: moduleExportName(element.propertyName ?? element.name), local: moduleExportName(element.name) }));
    imports.push({ ...base, kind: 'reexport', specifier, namespace: null, bindings });
    for (const binding of bindings) addAlias(statement, binding.local, `${binding.imported} from ${specifier}`);
  }
}

function moduleExportName(name: ts.ModuleExportName): string {
  return name.text;
}

/**
 * `require('x')` and `import('x')` calls anywhere in the file. A walk over every
 * node would cost a third of the parse, so, as the TypeScript compiler does, find
 * the candidates with a regular expression and descend only along the path to each.
 */
function collectCallImports(sourceFile: ts.SourceFile, imports: ExtractedImport[], line: (pos: number) => number): void {
  const pattern = /\b(?:require|import)\s*\(/g;
  for (let match = pattern.exec(sourceFile.text); match; match = pattern.exec(sourceFile.text)) {
    const chain = nodesAt(sourceFile, match.index);
    const callIndex = chain.findLastIndex((node) => ts.isCallExpression(node) && node.expression.end <= match!.index + match![0].length && node.expression.getStart(sourceFile) === match!.index);
    if (callIndex < 0) continue;
    const call = chain[callIndex] as ts.CallExpression;
    const kind = moduleCallKind(call);
    if (!kind) continue;
    const record: ExtractedImport = {
      kind, specifier: (call.arguments[0] as ts.StringLiteralLike).text, line: line(call.getStart(sourceFile)),
      typeOnly: false, namespace: null, defaultName: null, bindings: [],
    };
    // `const ns = require('x')`, `const { a, b: c } = await import('x')`: keep the names bound.
    let holder = callIndex - 1;
    while (holder > 0 && (ts.isAwaitExpression(chain[holder]) || ts.isParenthesizedExpression(chain[holder]))) holder--;
    const declaration = chain[holder];
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && chain[holder + 1] === declaration.initializer) {
      if (ts.isIdentifier(declaration.name)) {
        record.namespace = declaration.name.text;
      } else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          record.bindings.push({ imported, local: element.name.text });
        }
      }
    }
    imports.push(record);
  }
}

/** The nodes containing `position`, from the source file down to the innermost. */
function nodesAt(sourceFile: ts.SourceFile, position: number): ts.Node[] {
  const chain: ts.Node[] = [sourceFile];
  for (let current: ts.Node | undefined = sourceFile; current; ) {
    const parent: ts.Node = current;
    current = ts.forEachChild(parent, (child) => (child.pos <= position && position < child.end ? child : undefined));
    if (current) chain.push(current);
  }
  return chain;
}

function moduleCallKind(call: ts.CallExpression): ImportKind | undefined {
  const [argument] = call.arguments;
  if (call.arguments.length < 1 || !ts.isStringLiteralLike(argument)) return undefined;
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return 'dynamic';
  if (ts.isIdentifier(call.expression) && call.expression.text === 'require') return 'require';
  return undefined;
}

/** `exports.x = …`, `module.exports.x = …` and `module.exports = …` in CommonJS files. */
function commonJsExport(
  statement: ts.ExpressionStatement,
  sourceFile: ts.SourceFile,
  addSymbol: (node: ts.Node, name: string, kind: SymbolKind, exported: boolean, isDefault: boolean, signature: string) => void,
): void {
  const expression = statement.expression;
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = expression.left.getText(sourceFile);
  const member = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
  const right = expression.right;
  const signature = ts.isFunctionExpression(right) || ts.isArrowFunction(right)
    ? `${target} = ${headText(right, right.body, sourceFile)}`
    : target;
  if (member) addSymbol(statement, member[1], 'variable', true, false, signature);
  else if (target === 'module.exports') addSymbol(statement, 'default', 'default', true, true, signature);
}
