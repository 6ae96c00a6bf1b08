/**
 * A Python module's public API as callers see it: functions with their parameters
 * (kinds from `/`, `*`, `*args`, `**kwargs`), classes with their bases, their
 * constructor (`__init__`, or the one `@dataclass` / `NamedTuple` writes from the
 * fields) and public members, and module-level variables. Names imported into a
 * module are API only when `__all__` lists them or the module is a package's
 * `__init__.py` (that is how packages re-export); their shape belongs to the module
 * that defines them, so they carry the `imported` flag and only their presence is compared.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { collapseWhitespace, endLineOf, hasSyntaxError, startLineOf, type ApiDeclaration, type ApiParam, type ParsedFile, type UnitApi } from '../model';
import { assignmentsOf, boundNames, decoratorsOf, definitionOf, isExportedName, isPublicName, readModule, type ModuleDefinition } from './module';

/** pytest's and unittest's file names: `test_x.py`, `x_test.py`, `conftest.py`. */
export function isTestModule(path: string): boolean {
  return /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(path);
}

/** Whether a path is a package's `__init__` module. */
export function isPackageInit(path: string): boolean {
  return /(^|\/)__init__\.pyi?$/.test(path);
}

const lastSegment = (dotted: string): string => dotted.split('.').pop() ?? dotted;

/** The parameters of a `parameters` node, in order, with Python's five kinds. */
export function readParams(parameters: Node | null): ApiParam[] {
  if (!parameters) return [];
  const nodes = parameters.namedChildren.filter((c): c is Node => c !== null);
  const slashAt = nodes.findIndex((n) => n.type === 'positional_separator');
  const params: ApiParam[] = [];
  let keywordOnly = false;
  nodes.forEach((node, index) => {
    if (node.type === 'positional_separator') return;
    if (node.type === 'keyword_separator') {
      keywordOnly = true;
      return;
    }
    let inner = node;
    let type: string | null = null;
    let hasDefault = false;
    if (node.type === 'typed_parameter') {
      inner = node.namedChildren.find((c) => c !== null && c.type !== 'type') ?? node;
      type = node.childForFieldName('type')?.text ?? null;
    } else if (node.type === 'default_parameter' || node.type === 'typed_default_parameter') {
      inner = node.childForFieldName('name') ?? node;
      type = node.childForFieldName('type')?.text ?? null;
      hasDefault = true;
    }
    if (inner.type === 'list_splat_pattern') {
      params.push({ name: inner.namedChildren[0]?.text ?? '*', kind: 'var-positional', type: type && collapseWhitespace(type), hasDefault: false });
      keywordOnly = true;
      return;
    }
    if (inner.type === 'dictionary_splat_pattern') {
      params.push({ name: inner.namedChildren[0]?.text ?? '**', kind: 'var-keyword', type: type && collapseWhitespace(type), hasDefault: false });
      return;
    }
    if (inner.type !== 'identifier') return;
    const kind = index < slashAt ? 'positional-only' : keywordOnly ? 'keyword-only' : 'positional';
    params.push({ name: inner.text, kind, type: type && collapseWhitespace(type), hasDefault });
  });
  return params;
}

function functionModifiers(definition: Node, decorators: string[]): string[] {
  const modifiers: string[] = [];
  if (definition.children.some((c) => c?.type === 'async')) modifiers.push('async');
  for (const decorator of decorators) {
    const name = lastSegment(decorator);
    if (name === 'staticmethod') modifiers.push('staticmethod');
    else if (name === 'classmethod') modifiers.push('classmethod');
    else if (name === 'property' || name === 'cached_property') modifiers.push('property');
    else if (name === 'abstractmethod') modifiers.push('abstract');
    else if (name === 'overload') modifiers.push('overload');
    else if (/\.(setter|getter|deleter)$/.test(decorator)) modifiers.push('accessor');
  }
  const body = definition.childForFieldName('body');
  // The text test first: walking every body for `yield` was a fifth of reading the API.
  if (body && body.text.includes('yield') && body.descendantsOfType(['yield']).some((y) => y !== null && innermostFunction(y) === definition)) modifiers.push('generator');
  return [...new Set(modifiers)];
}

function innermostFunction(node: Node): Node | null {
  let current = node.parent;
  while (current && current.type !== 'function_definition' && current.type !== 'lambda') current = current.parent;
  return current;
}

function functionDeclaration(file: string, statement: Node, definition: Node, decorators: string[], isMethod: boolean): ApiDeclaration {
  const modifiers = functionModifiers(definition, decorators);
  let params = readParams(definition.childForFieldName('parameters'));
  const name = definition.childForFieldName('name')?.text ?? '';
  // `self` / `cls` are bound by the call, never passed: a method's first parameter is not the caller's.
  if (isMethod && !modifiers.includes('staticmethod') && params[0] && (params[0].kind === 'positional' || params[0].kind === 'positional-only')) {
    params = params.slice(1);
  }
  const returns = definition.childForFieldName('return_type')?.text ?? null;
  return {
    name,
    kind: isMethod ? (name === '__init__' ? 'constructor' : 'method') : 'function',
    file,
    line: startLineOf(statement),
    endLine: endLineOf(statement),
    visibility: 'public',
    modifiers,
    params,
    returns: returns && collapseWhitespace(returns),
  };
}

const isDataclass = (decorators: string[]) => decorators.some((d) => ['dataclass', 'dataclasses.dataclass', 'attr.s', 'attr.attrs', 'attrs.define', 'attr.define', 'define', 'frozen', 'attrs.frozen', 'pydantic.dataclasses.dataclass'].includes(d));

/** The keyword arguments of a decorator call such as `@dataclass(kw_only=True)`. */
function decoratorKeyword(statement: Node, keyword: string): string | null {
  for (const decorator of statement.type === 'decorated_definition' ? statement.namedChildren : []) {
    const call = decorator?.namedChildren[0];
    if (call?.type !== 'call') continue;
    for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument?.type === 'keyword_argument' && argument.childForFieldName('name')?.text === keyword) return argument.childForFieldName('value')?.text ?? null;
    }
  }
  return null;
}

/** The constructor `@dataclass` or `NamedTuple` writes: the annotated fields, in order. */
function fieldConstructor(file: string, statement: Node, body: Node, keywordOnly: boolean): ApiDeclaration {
  const params: ApiParam[] = [];
  let afterKwOnly = keywordOnly;
  for (const child of body.namedChildren) {
    const assignment = child?.type === 'expression_statement' ? child.namedChildren[0] : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const type = assignment.childForFieldName('type')?.text;
    if (left?.type !== 'identifier' || !type) continue;
    if (/^(typing\.)?ClassVar\b/.test(type)) continue;
    if (/(^|\.)KW_ONLY$/.test(type)) {
      afterKwOnly = true;
      continue;
    }
    const value = assignment.childForFieldName('right');
    let hasDefault = value !== null;
    if (value?.type === 'call' && /(^|\.)(field|attrib|ib)$/.test(value.childForFieldName('function')?.text ?? '')) {
      const keywords = new Map<string, string>();
      for (const argument of value.childForFieldName('arguments')?.namedChildren ?? []) {
        if (argument?.type === 'keyword_argument') keywords.set(argument.childForFieldName('name')?.text ?? '', argument.childForFieldName('value')?.text ?? '');
      }
      if (keywords.get('init') === 'False') continue;
      hasDefault = keywords.has('default') || keywords.has('default_factory') || keywords.has('factory');
      if (keywords.get('kw_only') === 'True') {
        params.push({ name: left.text, kind: 'keyword-only', type: collapseWhitespace(type), hasDefault });
        continue;
      }
    }
    params.push({ name: left.text, kind: afterKwOnly ? 'keyword-only' : 'positional', type: collapseWhitespace(type), hasDefault });
  }
  return { name: '__init__', kind: 'constructor', file, line: startLineOf(statement), endLine: endLineOf(statement), visibility: 'public', modifiers: ['generated'], params, returns: null };
}

function classDeclaration(file: string, statement: Node, definition: Node, decorators: string[]): ApiDeclaration {
  const bases: string[] = [];
  for (const argument of definition.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (argument && argument.type !== 'keyword_argument' && argument.type !== 'comment') bases.push(collapseWhitespace(argument.text));
  }
  const members = new Map<string, ApiDeclaration>();
  const addMember = (member: ApiDeclaration) => {
    if (!members.has(member.name)) members.set(member.name, member);
  };
  const body = definition.childForFieldName('body');
  const methods: Array<{ statement: Node; definition: Node; decorators: string[] }> = [];
  for (const child of body?.namedChildren ?? []) {
    if (!child) continue;
    const inner = definitionOf(child);
    if (inner?.type === 'function_definition') {
      methods.push({ statement: child, definition: inner, decorators: decoratorsOf(child) });
    } else if (inner?.type === 'class_definition') {
      const name = inner.childForFieldName('name')?.text ?? '';
      if (isPublicName(name)) addMember({ name, kind: 'class', file, line: startLineOf(child), endLine: endLineOf(child), visibility: 'public', modifiers: [] });
    } else {
      for (const assignment of assignmentsOf(child)) {
        const left = assignment.childForFieldName('left');
        const type = assignment.childForFieldName('type')?.text ?? null;
        for (const name of left ? boundNames(left) : []) {
          // `__slots__`, `__doc__`, `__module__`… describe the class to Python, not to its callers.
          if (!name.text.startsWith('_')) addMember({ name: name.text, kind: 'field', file, line: startLineOf(child), endLine: endLineOf(child), visibility: 'public', modifiers: /ClassVar/.test(type ?? '') ? ['static'] : [], type: type && collapseWhitespace(type) });
        }
      }
    }
  }
  // Overloads are stubs for type checkers: the implementation is what runs, so it is what callers call.
  const implemented = methods.filter((m, i) => {
    const name = m.definition.childForFieldName('name')?.text;
    const isOverload = m.decorators.some((d) => lastSegment(d) === 'overload');
    return !isOverload || !methods.some((o, j) => j !== i && o.definition.childForFieldName('name')?.text === name && !o.decorators.some((d) => lastSegment(d) === 'overload'));
  });
  for (const method of implemented) {
    const declaration = functionDeclaration(file, method.statement, method.definition, method.decorators, true);
    if (!isPublicName(declaration.name)) continue;
    // `@x.setter` makes the property `x` writable: callers that assign to it depend on that.
    const property = members.get(declaration.name);
    if (method.decorators.some((d) => d === `${declaration.name}.setter`) && property?.modifiers.includes('property')) property.modifiers.push('settable');
    else addMember(declaration);
  }
  if (!members.has('__init__') && body) {
    const isNamedTuple = bases.some((b) => lastSegment(b) === 'NamedTuple');
    if (isDataclass(decorators) || isNamedTuple) addMember(fieldConstructor(file, statement, body, decoratorKeyword(statement, 'kw_only') === 'True'));
  }
  // Instance attributes: what methods assign to `self.x` (callers read `obj.x`).
  for (const method of methods) {
    const self = readParams(method.definition.childForFieldName('parameters'))[0]?.name;
    const methodBody = method.definition.childForFieldName('body');
    if (!self || !methodBody || !methodBody.text.includes(`${self}.`)) continue;
    for (const assignment of methodBody.descendantsOfType(['assignment', 'augmented_assignment'])) {
      const left = assignment?.childForFieldName('left');
      if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== self) continue;
      const name = left.childForFieldName('attribute')?.text ?? '';
      const type = assignment?.childForFieldName('type')?.text ?? null;
      if (isPublicName(name) && assignment) addMember({ name, kind: 'field', file, line: startLineOf(assignment), endLine: endLineOf(assignment), visibility: 'public', modifiers: ['instance'], type: type && collapseWhitespace(type) });
    }
  }
  const modifiers: string[] = [];
  if (bases.some((b) => ['ABC', 'abc.ABC', 'Protocol', 'typing.Protocol'].includes(b)) || [...members.values()].some((m) => m.modifiers.includes('abstract'))) modifiers.push('abstract');
  if (isDataclass(decorators)) modifiers.push('dataclass');
  if (decoratorKeyword(statement, 'frozen') === 'True' || decorators.some((d) => /(^|\.)frozen$/.test(d))) modifiers.push('frozen');
  // Structural types: a Protocol's or TypedDict's members are checked by type checkers only, never at run time.
  if (bases.some((b) => ['Protocol', 'TypedDict'].includes(lastSegment(b.split('[')[0])))) modifiers.push('structural');
  if (members.has('__getattr__')) modifiers.push('dynamic');
  return {
    name: definition.childForFieldName('name')?.text ?? '',
    kind: 'class',
    file,
    line: startLineOf(statement),
    endLine: endLineOf(statement),
    visibility: 'public',
    modifiers,
    bases,
    members: [...members.values()],
  };
}

const LITERALS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none', 'list', 'tuple', 'dictionary', 'set', 'unary_operator']);

function declarationOf(file: string, definition: ModuleDefinition): ApiDeclaration {
  const declaration = shapeOf(file, definition);
  // A declaration an ERROR or MISSING node cuts into may have lost parameters or members to the error, not to an edit.
  if (definition.node.hasError && !declaration.modifiers.includes('syntax-error')) declaration.modifiers.push('syntax-error');
  return declaration;
}

function shapeOf(file: string, definition: ModuleDefinition): ApiDeclaration {
  const at = { file, line: startLineOf(definition.node), endLine: endLineOf(definition.node), visibility: 'public' as const };
  if (definition.kind === 'function' && definition.definition) return functionDeclaration(file, definition.node, definition.definition, definition.decorators, false);
  if (definition.kind === 'class' && definition.definition) return classDeclaration(file, definition.node, definition.definition, definition.decorators);
  if (definition.kind === 'import') return { name: definition.name, kind: 'variable', ...at, modifiers: ['imported'], type: null };
  const constant = /^[A-Z][A-Z0-9_]*$/.test(definition.name);
  // Only a literal's shape is known: `x = make()` or `f = partial(g)` may well be callable.
  const value = valueOf(definition);
  const modifiers = value && LITERALS.has(value.type) ? ['literal'] : [];
  return { name: definition.name, kind: constant ? 'constant' : 'variable', ...at, modifiers, type: definition.annotation && collapseWhitespace(definition.annotation) };
}

/** The value assigned to a variable definition (the last one of a chain `a = b = 1`). */
function valueOf(definition: ModuleDefinition): Node | null {
  const assignments = assignmentsOf(definition.node);
  const last = assignments[assignments.length - 1];
  return last?.childForFieldName('right') ?? null;
}

/** The public API of one Python module (a unit is one file). */
export function readApi(files: readonly ParsedFile[]): UnitApi {
  const declarations: ApiDeclaration[] = [];
  let syntaxError = false;
  for (const file of files) {
    if (hasSyntaxError(file.tree)) syntaxError = true;
    // pytest's modules are collected, never imported: their `test_*` functions and fixtures are no one's API.
    if (isTestModule(file.path)) continue;
    const model = readModule(file.tree.rootNode);
    const init = isPackageInit(file.path);
    const byName = new Map<string, ModuleDefinition[]>();
    for (const definition of model.definitions) byName.set(definition.name, [...(byName.get(definition.name) ?? []), definition]);
    const chosen = new Map([...byName].map(([name, definitions]) => [name, pickDefinition(definitions)]));
    for (const [name, definition] of chosen) {
      if (!isExportedName(model, name) && name !== '__getattr__') continue;
      let declaration = declarationOf(file.path, aliasTarget(definition, chosen) ?? definition);
      if (declaration.name !== name) declaration = { ...declaration, name, line: startLineOf(definition.node), endLine: endLineOf(definition.node) };
      // An import is API when it is passed on on purpose: listed in `__all__`, in a package's `__init__`, or `import x as x` (the stub convention).
      // Any other still binds the name (`m.f` works), so it is kept as incidental: it hides a "removed", and is never reported itself.
      if (definition.kind === 'import' && !init && !model.all?.includes(name) && !isExplicitReexport(definition)) declaration.modifiers.push('incidental');
      declarations.push(declaration);
    }
    // Names `__all__` lists that the module gets from elsewhere (`from .m import *`): present, shape unknown.
    for (const name of model.all ?? []) {
      if (!byName.has(name) && !declarations.some((d) => d.name === name)) {
        declarations.push({ name, kind: 'variable', file: file.path, line: 1, endLine: 1, visibility: 'public', modifiers: ['imported'], type: null });
      }
    }
  }
  return { declarations, hasSyntaxError: syntaxError };
}

/**
 * `OldName = NewName`, the usual way to keep a renamed function or class: the alias
 * has the shape of the definition it names, when the module defines it; an alias of
 * something imported has an unknown shape.
 */
function aliasTarget(definition: ModuleDefinition, chosen: Map<string, ModuleDefinition>): ModuleDefinition | null {
  if (definition.kind !== 'variable') return null;
  const value = valueOf(definition);
  if (value?.type === 'identifier') {
    const target = chosen.get(value.text);
    if (target && target !== definition && (target.kind === 'function' || target.kind === 'class')) return target;
    if (target?.kind === 'import') return target;
  }
  if (value?.type === 'attribute') return { ...definition, kind: 'import' };
  return null;
}

/** `from m import x as x`: the typing convention for "this import is a re-export". */
function isExplicitReexport(definition: ModuleDefinition): boolean {
  return definition.node.descendantsOfType('aliased_import').some((a) => a?.childForFieldName('alias')?.text === definition.name && lastSegment(a.childForFieldName('name')?.text ?? '') === definition.name);
}

/**
 * Of several definitions of one name, the one callers get: a function's implementation
 * rather than its `@overload` stubs, a definition rather than a fallback import or an
 * assignment guarding it (`try: from x import f except ImportError: def f…`).
 */
function pickDefinition(definitions: ModuleDefinition[]): ModuleDefinition {
  const real = definitions.filter((d) => !(d.kind === 'function' && d.decorators.some((x) => lastSegment(x) === 'overload')));
  const candidates = real.length > 0 ? real : definitions;
  return candidates.find((d) => d.kind === 'function' || d.kind === 'class') ?? candidates[0];
}
