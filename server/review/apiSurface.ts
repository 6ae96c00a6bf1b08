/**
 * The exported API of one module as callers see it: every exported name with the
 * shape a caller depends on (parameters, return type, members, declared type).
 * Built from a bare parse; types a declaration leaves to inference are filled in
 * on demand by `inferredTypes.ts`, only for the few files a review compares.
 */
import { ts } from 'ts-morph';
import { scriptKindOf } from '../index/languages';

export interface ApiParameter {
  name: string;
  /** Declared type text, normalised; null when not annotated. */
  type: string | null;
  /** Has `?` or a default value: callers may leave it out. */
  optional: boolean;
  rest: boolean;
}

export interface ApiSignature {
  parameters: ApiParameter[];
  /** Declared return type, normalised; null when left to inference. */
  returnType: string | null;
}

export interface ApiMember {
  name: string;
  kind: 'property' | 'method';
  optional: boolean;
  static: boolean;
  /** Type text for a property, null when not annotated. */
  type: string | null;
  signatures: ApiSignature[];
}

export type ApiKind = 'function' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'namespace' | 'reexport' | 'value';

export interface ApiEntry {
  /** The exported name; `default` for the default export. */
  name: string;
  kind: ApiKind;
  /** The declaration's own name (differs from `name` for `export { a as b }` and default exports). */
  localName: string;
  line: number;
  endLine: number;
  /** Functions (and consts holding one): every overload, or the one signature. */
  signatures: ApiSignature[];
  /** Classes, interfaces and object-literal type aliases. */
  members: Map<string, ApiMember>;
  /** Class constructors' signatures. */
  constructors: ApiSignature[];
  /** A variable's declared type, a non-object type alias's text, or an enum's member list. */
  typeText: string | null;
  /** For a variable without a type annotation: the initializer's text, to know when inference must be asked. */
  initializerText: string | null;
  /**
   * The widened type of a literal initializer (`string`, `number`, `boolean`,
   * `bigint`), read from the syntax: when both versions have one, the checker is
   * not needed to compare them.
   */
  literalType: string | null;
  /** The full declaration text: a body-only change leaves the head alike but this differs. */
  declarationText: string;
  /** `export { x } from './y'` / `export * from './y'`. */
  fromModule: string | null;
}

/** Exported names to entries; `*:<specifier>` keys stand for `export * from` lines. */
export type ApiSurface = Map<string, ApiEntry>;

/** Local (non-exported) top-level declaration names, to tell "no longer exported" from "removed". */
export interface ModuleShape {
  exports: ApiSurface;
  locals: Set<string>;
}

export function normalizeType(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s*([<>(){}[\],;:|&=?])\s*/g, '$1').replace(/;}/g, '}').trim();
}

/** `parsed`: the tree of `text` when the caller has it already (see syntaxTrees.ts); parsed here otherwise. */
export function readModuleShape(path: string, text: string, parsed?: ts.SourceFile | null): ModuleShape {
  const sourceFile = parsed ?? ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindOf(path) ?? ts.ScriptKind.TS);
  const line = (pos: number) => sourceFile.getLineAndCharacterOfPosition(pos).line + 1;
  const declarations = new Map<string, ApiEntry>();
  const exports: ApiSurface = new Map();
  const locals = new Set<string>();
  const exportLists: Array<{ exported: string; local: string }> = [];

  const entry = (node: ts.Node, name: string, kind: ApiKind): ApiEntry => ({
    name, kind, localName: name, line: line(node.getStart(sourceFile)), endLine: line(node.end),
    signatures: [], members: new Map(), constructors: [], typeText: null, initializerText: null, literalType: null,
    declarationText: normalizeType(node.getText(sourceFile)), fromModule: null,
  });
  const record = (name: string, built: ApiEntry, exported: boolean, isDefault: boolean) => {
    const existing = declarations.get(name);
    // Overloads and declaration merging: fold into the first entry.
    if (existing && existing.kind === built.kind) {
      existing.signatures.push(...built.signatures);
      for (const [key, member] of built.members) existing.members.set(key, member);
      existing.endLine = Math.max(existing.endLine, built.endLine);
      existing.declarationText += built.declarationText;
    } else if (!existing) {
      declarations.set(name, built);
    }
    const target = declarations.get(name)!;
    if (isDefault) exports.set('default', { ...target, name: 'default' });
    else if (exported) exports.set(name, target);
    else locals.add(name);
  };

  for (const statement of sourceFile.statements) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    const isDefault = exported && hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(statement)) {
      const name = statement.name?.text ?? 'default';
      const built = entry(statement, name, 'function');
      // An implementation that follows overloads is not callable by its own signature.
      const isImplementationOfOverloads = statement.body && declarations.get(name)?.kind === 'function' && declarations.get(name)!.signatures.length > 0;
      if (!isImplementationOfOverloads) built.signatures.push(signatureOf(statement, sourceFile));
      record(name, built, exported, isDefault);
    } else if (ts.isClassDeclaration(statement)) {
      const name = statement.name?.text ?? 'default';
      const built = entry(statement, name, 'class');
      readClassMembers(statement, sourceFile, built);
      record(name, built, exported, isDefault);
    } else if (ts.isInterfaceDeclaration(statement)) {
      const built = entry(statement, statement.name.text, 'interface');
      readTypeMembers(statement.members, sourceFile, built.members);
      record(statement.name.text, built, exported, false);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      const built = entry(statement, statement.name.text, 'type');
      if (ts.isTypeLiteralNode(statement.type)) readTypeMembers(statement.type.members, sourceFile, built.members);
      else built.typeText = normalizeType(statement.type.getText(sourceFile));
      record(statement.name.text, built, exported, false);
    } else if (ts.isEnumDeclaration(statement)) {
      const built = entry(statement, statement.name.text, 'enum');
      for (const member of statement.members) built.members.set(member.name.getText(sourceFile), { name: member.name.getText(sourceFile), kind: 'property', optional: false, static: true, type: null, signatures: [] });
      record(statement.name.text, built, exported, false);
    } else if (ts.isModuleDeclaration(statement)) {
      const name = statement.name.getText(sourceFile);
      record(name, entry(statement, name, 'namespace'), exported, false);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        record(declaration.name.text, variableEntry(declaration, sourceFile, entry(declaration, declaration.name.text, 'variable')), exported, false);
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      const expression = statement.expression;
      if (ts.isIdentifier(expression)) exportLists.push({ exported: 'default', local: expression.text });
      else {
        const built = entry(statement, 'default', 'value');
        if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) {
          built.kind = 'function';
          built.signatures.push(signatureOf(expression, sourceFile));
        }
        exports.set('default', built);
      }
    } else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      const fromModule = statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier) ? statement.moduleSpecifier.text : null;
      if (fromModule !== null) {
        if (!clause) {
          const built = entry(statement, `*:${fromModule}`, 'reexport');
          built.fromModule = fromModule;
          exports.set(built.name, built);
        } else if (ts.isNamespaceExport(clause)) {
          const built = entry(statement, clause.name.text, 'reexport');
          built.fromModule = fromModule;
          exports.set(clause.name.text, built);
        } else {
          for (const element of clause.elements) {
            const built = entry(element, element.name.text, 'reexport');
            built.localName = (element.propertyName ?? element.name).text;
            built.fromModule = fromModule;
            exports.set(element.name.text, built);
          }
        }
      } else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) exportLists.push({ exported: element.name.text, local: (element.propertyName ?? element.name).text });
      }
    }
  }
  // `export { a as b }` and `export default a` refer to declarations anywhere in the file.
  for (const { exported, local } of exportLists) {
    const target = declarations.get(local);
    if (target) {
      exports.set(exported, { ...target, name: exported });
      locals.delete(local);
    }
  }
  for (const name of exports.keys()) locals.delete(name);
  return { exports, locals };
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((modifier) => modifier.kind === kind) ?? false;
}

function isPrivate(node: ts.Node): boolean {
  const name = (node as { name?: ts.Node }).name;
  return hasModifier(node, ts.SyntaxKind.PrivateKeyword) || hasModifier(node, ts.SyntaxKind.ProtectedKeyword) || (name !== undefined && ts.isPrivateIdentifier(name));
}

function signatureOf(node: ts.SignatureDeclarationBase, sourceFile: ts.SourceFile): ApiSignature {
  return {
    parameters: node.parameters
      .filter((parameter) => parameter.name.getText(sourceFile) !== 'this')
      .map((parameter) => ({
        name: parameter.name.getText(sourceFile),
        type: parameter.type ? normalizeType(parameter.type.getText(sourceFile)) : null,
        optional: parameter.questionToken !== undefined || parameter.initializer !== undefined,
        rest: parameter.dotDotDotToken !== undefined,
      })),
    returnType: node.type ? normalizeType(node.type.getText(sourceFile)) : null,
  };
}

function variableEntry(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile, built: ApiEntry): ApiEntry {
  let init = declaration.initializer;
  while (init && (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) {
    if (!declaration.type && ts.isAsExpression(init)) break;
    init = init.expression;
  }
  if (!declaration.type && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
    built.kind = 'function';
    built.signatures.push(signatureOf(init, sourceFile));
    return built;
  }
  if (declaration.type) {
    built.typeText = normalizeType(declaration.type.getText(sourceFile));
    if (ts.isFunctionTypeNode(declaration.type)) {
      built.kind = 'function';
      built.signatures.push(signatureOf(declaration.type, sourceFile));
    }
  } else if (declaration.initializer) {
    built.initializerText = normalizeType(declaration.initializer.getText(sourceFile));
    built.literalType = literalTypeOf(declaration.initializer);
  }
  return built;
}

function literalTypeOf(expression: ts.Expression): string | null {
  if (ts.isStringLiteralLike(expression) || ts.isTemplateExpression(expression)) return 'string';
  if (ts.isNumericLiteral(expression)) return 'number';
  if (ts.isBigIntLiteral(expression)) return 'bigint';
  if (expression.kind === ts.SyntaxKind.TrueKeyword || expression.kind === ts.SyntaxKind.FalseKeyword) return 'boolean';
  if (ts.isPrefixUnaryExpression(expression) && ts.isNumericLiteral(expression.operand)) return 'number';
  return null;
}

function readClassMembers(node: ts.ClassDeclaration, sourceFile: ts.SourceFile, built: ApiEntry): void {
  for (const member of node.members) {
    if (ts.isConstructorDeclaration(member)) {
      if (!member.body || !built.constructors.length || !isPrivate(member)) built.constructors.push(signatureOf(member, sourceFile));
      continue;
    }
    if (isPrivate(member) || !member.name) continue;
    const name = member.name.getText(sourceFile);
    const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
    const key = `${isStatic ? 'static ' : ''}${name}`;
    if (ts.isMethodDeclaration(member)) {
      const existing = built.members.get(key);
      const signature = signatureOf(member, sourceFile);
      // With overloads, the implementation signature is not part of the API.
      if (existing && member.body && existing.signatures.length) continue;
      if (existing) existing.signatures.push(signature);
      else built.members.set(key, { name, kind: 'method', optional: member.questionToken !== undefined, static: isStatic, type: null, signatures: [signature] });
    } else if (ts.isPropertyDeclaration(member) || ts.isGetAccessor(member)) {
      const typeNode = ts.isPropertyDeclaration(member) ? member.type : member.type;
      built.members.set(key, {
        name, kind: 'property', optional: ts.isPropertyDeclaration(member) && member.questionToken !== undefined, static: isStatic,
        type: typeNode ? normalizeType(typeNode.getText(sourceFile)) : null, signatures: [],
      });
    }
  }
}

function readTypeMembers(members: ts.NodeArray<ts.TypeElement>, sourceFile: ts.SourceFile, into: Map<string, ApiMember>): void {
  for (const member of members) {
    if (!member.name) continue;
    const name = member.name.getText(sourceFile);
    if (ts.isMethodSignature(member)) {
      const existing = into.get(name);
      const signature = signatureOf(member, sourceFile);
      if (existing) existing.signatures.push(signature);
      else into.set(name, { name, kind: 'method', optional: member.questionToken !== undefined, static: false, type: null, signatures: [signature] });
    } else if (ts.isPropertySignature(member)) {
      into.set(name, {
        name, kind: 'property', optional: member.questionToken !== undefined, static: false,
        type: member.type ? normalizeType(member.type.getText(sourceFile)) : null, signatures: [],
      });
    }
  }
}
