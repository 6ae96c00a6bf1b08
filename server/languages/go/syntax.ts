/**
 * The pieces of Go syntax that the index (extract.ts) and the API reader (api.ts)
 * both read the same way: names and their exportedness, receivers, parameter lists
 * with grouped names expanded, type parameters, and the const/var specs of a file
 * (a const spec without a type or value repeats the previous one's, as `iota`
 * groups do).
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { collapseWhitespace, type ApiParam } from '../model';

/** Go's one rule of visibility: an identifier is exported when it starts with an upper-case letter. */
export function isExportedName(name: string): boolean {
  const first = name.codePointAt(0);
  if (first === undefined) return false;
  const letter = String.fromCodePoint(first);
  return letter !== letter.toLowerCase() && letter === letter.toUpperCase();
}

export const named = (node: Node | null | undefined): Node[] => (node ? node.namedChildren.filter((c): c is Node => c !== null) : []);

/**
 * A type as written, whitespace collapsed; `interface{}` is spelled `any` (the same
 * type since Go 1.18), so switching between them is not a change.
 */
export function typeText(node: Node | null): string {
  if (!node) return '';
  // x/exp's `constraints.Ordered` became the standard library's `cmp.Ordered` (Go 1.21): one type set.
  return collapseWhitespace(node.text).replace(/\binterface\{\}/g, 'any').replace(/\bconstraints\.Ordered\b/g, 'cmp.Ordered');
}

/** The declaration's head: its text up to the body (a function's block, a struct's or interface's braces). */
export function headText(node: Node, body: Node | null, max = 400): string {
  const text = body ? node.text.slice(0, body.startIndex - node.startIndex) : node.text;
  const head = collapseWhitespace(text);
  return head.length > max ? `${head.slice(0, max)}…` : head;
}

/** The receiver's base type name (`(s *S[T])` -> `S`), whether it is a pointer, and the type parameter names it binds (`T`). */
export function receiverOf(method: Node): { type: string; pointer: boolean; typeParams: string[] } | null {
  const list = method.childForFieldName('receiver');
  const param = named(list).find((c) => c.type === 'parameter_declaration');
  let type = param?.childForFieldName('type') ?? null;
  let pointer = false;
  while (type && (type.type === 'pointer_type' || type.type === 'parenthesized_type')) {
    if (type.type === 'pointer_type') pointer = true;
    type = named(type)[0] ?? null;
  }
  let typeParams: string[] = [];
  if (type?.type === 'generic_type') {
    typeParams = named(type.childForFieldName('type_arguments')).map((argument) => argument.text.trim());
    type = type.childForFieldName('type');
  }
  return type ? { type: type.text, pointer, typeParams } : null;
}

/**
 * A parameter list's parameters in order, grouped names expanded (`a, b int` is two
 * parameters of type `int`); an unnamed parameter is named by its position.
 */
export function paramsOf(list: Node | null): ApiParam[] {
  const out: ApiParam[] = [];
  for (const declaration of named(list)) {
    if (declaration.type !== 'parameter_declaration' && declaration.type !== 'variadic_parameter_declaration') continue;
    const kind = declaration.type === 'variadic_parameter_declaration' ? 'var-positional' : 'positional';
    const type = typeText(declaration.childForFieldName('type'));
    const names = declaration.childrenForFieldName('name').filter((n): n is Node => n !== null);
    if (names.length === 0) out.push({ name: `#${out.length}`, kind, type, hasDefault: false });
    for (const name of names) out.push({ name: name.text, kind, type, hasDefault: false });
  }
  return out;
}

/** A function's results as written, types only (`(n int, err error)` -> `(int, error)`); null when it returns nothing. */
export function resultsOf(result: Node | null): string | null {
  if (!result) return null;
  if (result.type !== 'parameter_list') return typeText(result);
  const types = paramsOf(result).map((p) => p.type ?? '');
  if (types.length === 0) return null;
  return types.length === 1 ? types[0] : `(${types.join(', ')})`;
}

/** Type parameters with their constraints (`[K comparable, V any]`). */
export function typeParamsOf(list: Node | null): Array<{ name: string; bound: string | null }> {
  const out: Array<{ name: string; bound: string | null }> = [];
  for (const declaration of named(list)) {
    if (declaration.type !== 'type_parameter_declaration') continue;
    const bound = typeText(declaration.childForFieldName('type')) || null;
    for (const name of declaration.childrenForFieldName('name')) if (name) out.push({ name: name.text, bound });
  }
  return out;
}

/** The specs of a `type`, `const` or `var` declaration, grouped or not. */
export function specsOf(declaration: Node, specType: string): Node[] {
  const direct = named(declaration);
  const list = direct.find((c) => c.type === `${specType}_list`);
  return (list ? named(list) : direct).filter((c) => c.type === specType || (specType === 'type_spec' && c.type === 'type_alias'));
}

export interface ValueSpec {
  name: Node;
  spec: Node;
  /** The declared type, or the type of a simple literal value; null when only the compiler knows. */
  type: string | null;
}

/** The kinds of untyped constant a literal has, and the type a variable initialised with one gets. */
const LITERAL_KINDS: Record<string, [string, string]> = {
  int_literal: ['int', 'int'],
  float_literal: ['float', 'float64'],
  imaginary_literal: ['complex', 'complex128'],
  rune_literal: ['rune', 'rune'],
  interpreted_string_literal: ['string', 'string'],
  raw_string_literal: ['string', 'string'],
  true: ['bool', 'bool'],
  false: ['bool', 'bool'],
};

/** The type a constant of an untyped kind defaults to (`untyped float` -> `float64`). */
export function defaultTypeOf(untyped: string): string | null {
  const kind = untyped.replace(/^untyped /, '');
  return Object.values(LITERAL_KINDS).find(([k]) => k === kind)?.[1] ?? null;
}

/** The type of a literal expression as far as syntax shows it (`"x"` -> `string`, `&T{}` -> `*T`). */
function literalType(value: Node | null, isConst: boolean): string | null {
  if (!value) return null;
  const literal = LITERAL_KINDS[value.type];
  // Untyped constants keep their kind: changing `1` to `"one"` breaks arithmetic on it.
  if (literal) return isConst ? `untyped ${literal[0]}` : literal[1];
  if (value.type === 'composite_literal') return typeText(value.childForFieldName('type'));
  if (value.type === 'unary_expression') {
    const operand = value.childForFieldName('operand');
    if (value.child(0)?.type === '&' && operand?.type === 'composite_literal') return `*${typeText(operand.childForFieldName('type'))}`;
  }
  return null;
}

/** The names a `const` or `var` declaration introduces, with their types. */
export function valueSpecsOf(declaration: Node): ValueSpec[] {
  const isConst = declaration.type === 'const_declaration';
  const out: ValueSpec[] = [];
  let previousType: Node | null = null;
  let previousValues: Node[] = [];
  for (const spec of specsOf(declaration, isConst ? 'const_spec' : 'var_spec')) {
    let type = spec.childForFieldName('type');
    let values = named(spec.childForFieldName('value'));
    if (isConst && !type && values.length === 0) {
      // Implicit repetition: `D` after `C int = iota` is another `int`.
      type = previousType;
      values = previousValues;
    }
    previousType = type;
    previousValues = values;
    spec.childrenForFieldName('name').forEach((name, i) => {
      if (!name) return;
      out.push({ name, spec, type: type ? typeText(type) : literalType(values[i] ?? null, isConst) });
    });
  }
  return out;
}

/**
 * A type with the type parameters in scope replaced by their positions
 * (`[]T` under `[T any]` -> `[]#0`): renaming a type parameter changes nothing.
 */
export function positional(type: string | null | undefined, scope: readonly string[]): string | null {
  if (type === null || type === undefined || scope.length === 0) return type ?? null;
  const index = new Map(scope.map((name, i) => [name, i]));
  return type.replace(/(?<![\w.])[\p{L}_][\p{L}\p{N}_]*/gu, (word) => (index.has(word) ? `#${index.get(word)}` : word));
}
