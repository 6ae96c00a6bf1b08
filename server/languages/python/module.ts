/**
 * What a Python module defines at its top level, read once from the tree and shared
 * by the index's extraction and the API reader: functions, classes (with their
 * members), assignments, imported names and `__all__`. Definitions inside
 * module-level `if`/`try`/`with` blocks count (`if TYPE_CHECKING:`, `try: … except
 * ImportError:` fallbacks are how real modules define names); the body of
 * `if __name__ == "__main__":` does not: it runs only as a script.
 */
import type { Node } from '@vscode/tree-sitter-wasm';

export interface ModuleDefinition {
  name: string;
  kind: 'function' | 'class' | 'variable' | 'import';
  /** The statement (the decorated definition when decorated). */
  node: Node;
  /** The `function_definition` / `class_definition` itself, for functions and classes. */
  definition: Node | null;
  decorators: string[];
  /** Assignments: the annotation as written, when one is. */
  annotation: string | null;
  /** Imports: the module the name comes from, as written (`.m`, `pkg.sub`). */
  from: string | null;
}

export interface ModuleModel {
  definitions: ModuleDefinition[];
  /** The names of `__all__` when it is a literal (list/tuple of strings, `+=`, `.append`, `.extend`); null when it is not defined. */
  all: string[] | null;
  /** `__all__` is defined but some part of it is not a literal: the names above are a lower bound. */
  allIsPartial: boolean;
}

/** The text of a string literal without quotes or prefix; null for f-strings, concatenations and non-strings. */
export function stringValue(node: Node): string | null {
  if (node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return null;
  return node.namedChildren
    .filter((c): c is Node => c?.type === 'string_content')
    .map((c) => c.text)
    .join('');
}

/** The decorators of a decorated definition, as their dotted names without arguments (`dataclass`, `functools.wraps`). */
export function decoratorsOf(statement: Node): string[] {
  if (statement.type !== 'decorated_definition') return [];
  return statement.namedChildren
    .filter((c): c is Node => c?.type === 'decorator')
    .map((d) => {
      const expression = d.namedChildren[0];
      const target = expression?.type === 'call' ? expression.childForFieldName('function') : expression;
      return target ? target.text.replace(/\s+/g, '') : '';
    });
}

/** The function or class a statement defines (through its decorators), or null. */
export function definitionOf(statement: Node): Node | null {
  const node = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
  return node && (node.type === 'function_definition' || node.type === 'class_definition') ? node : null;
}

/** Whether an `if` statement is `if __name__ == "__main__":` (either side). */
export function isMainGuard(node: Node): boolean {
  if (node.type !== 'if_statement') return false;
  const condition = node.childForFieldName('condition');
  if (condition?.type !== 'comparison_operator') return false;
  const parts = condition.namedChildren.filter((c): c is Node => c !== null);
  return parts.length === 2 && parts.some((p) => p.text === '__name__') && parts.some((p) => stringValue(p) === '__main__');
}

/** The statements of the blocks of a compound statement that run at module level when it does. */
function nestedStatements(node: Node): Node[] {
  const blocks: Node[] = [];
  const visit = (n: Node) => {
    for (const child of n.namedChildren) {
      if (!child) continue;
      if (child.type === 'block') blocks.push(child);
      else if (['else_clause', 'elif_clause', 'except_clause', 'finally_clause', 'except_group_clause'].includes(child.type)) visit(child);
    }
  };
  visit(node);
  return blocks.flatMap((b) => b.namedChildren.filter((c): c is Node => c !== null));
}

/** The module-level statements, flattened through `if`/`try`/`with` (not through the main guard). */
export function moduleStatements(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (statements: Node[]) => {
    for (const statement of statements) {
      if (isMainGuard(statement)) continue;
      if (['if_statement', 'try_statement', 'with_statement'].includes(statement.type)) visit(nestedStatements(statement));
      else out.push(statement);
    }
  };
  visit(root.namedChildren.filter((c): c is Node => c !== null));
  return out;
}

/** The names an assignment target binds (`x`, `a, b`, `(a, b)`), not attributes or subscripts. */
export function boundNames(target: Node): Node[] {
  if (target.type === 'identifier') return [target];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list'].includes(target.type)) {
    return target.namedChildren.flatMap((c) => (c ? boundNames(c) : []));
  }
  return [];
}

/** The `assignment` nodes of an expression statement, chained ones included (`a = b = 1`). */
export function assignmentsOf(statement: Node): Node[] {
  if (statement.type !== 'expression_statement') return [];
  const out: Node[] = [];
  let node: Node | null = statement.namedChildren[0] ?? null;
  while (node?.type === 'assignment') {
    out.push(node);
    node = node.childForFieldName('right');
  }
  return out;
}

/** The strings of a list/tuple literal, and whether every element was one. */
function stringList(node: Node | null): { names: string[]; complete: boolean } {
  if (!node || !['list', 'tuple', 'parenthesized_expression'].includes(node.type)) return { names: [], complete: false };
  const names: string[] = [];
  let complete = true;
  for (const element of node.namedChildren) {
    if (!element) continue;
    const value = stringValue(element);
    if (value === null) complete = false;
    else names.push(value);
  }
  return { names, complete };
}

/** Reads the module-level definitions and `__all__` of a parsed module. */
export function readModule(root: Node): ModuleModel {
  const definitions: ModuleDefinition[] = [];
  let all: string[] | null = null;
  let allIsPartial = false;
  const addAll = (names: string[], complete: boolean) => {
    all = [...(all ?? []), ...names];
    if (!complete) allIsPartial = true;
  };

  for (const statement of moduleStatements(root)) {
    const definition = definitionOf(statement);
    if (definition) {
      const name = definition.childForFieldName('name')?.text;
      if (name) {
        definitions.push({
          name,
          kind: definition.type === 'class_definition' ? 'class' : 'function',
          node: statement,
          definition,
          decorators: decoratorsOf(statement),
          annotation: null,
          from: null,
        });
      }
      continue;
    }
    if (statement.type === 'import_from_statement') {
      const from = statement.childForFieldName('module_name')?.text ?? null;
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        const imported = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const local = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : imported;
        if (imported && local) definitions.push({ name: local, kind: 'import', node: statement, definition: null, decorators: [], annotation: null, from });
      }
      continue;
    }
    if (statement.type === 'import_statement') {
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        // `import a.b` binds `a`; `import a.b as c` binds `c`.
        const local = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : item.text.split('.')[0];
        const module = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        if (local) definitions.push({ name: local, kind: 'import', node: statement, definition: null, decorators: [], annotation: null, from: module ?? null });
      }
      continue;
    }
    if (statement.type !== 'expression_statement') continue;
    const expression = statement.namedChildren[0];
    if (!expression) continue;
    if (expression.type === 'augmented_assignment' && expression.childForFieldName('left')?.text === '__all__') {
      const list = stringList(expression.childForFieldName('right'));
      addAll(list.names, list.complete);
      continue;
    }
    if (expression.type === 'call') {
      // `__all__.append("x")`, `__all__.extend([...])`
      const callee = expression.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === '__all__') {
        const argument = expression.childForFieldName('arguments')?.namedChildren[0] ?? null;
        const method = callee.childForFieldName('attribute')?.text;
        if (method === 'append' && argument && stringValue(argument) !== null) addAll([stringValue(argument) as string], true);
        else if (method === 'extend') {
          const list = stringList(argument);
          addAll(list.names, list.complete);
        } else addAll([], false);
      }
      continue;
    }
    for (const assignment of assignmentsOf(statement)) {
      const left = assignment.childForFieldName('left');
      if (!left) continue;
      if (left.text === '__all__') {
        all = [];
        allIsPartial = false;
        const list = stringList(assignment.childForFieldName('right'));
        addAll(list.names, list.complete);
        continue;
      }
      const annotation = assignment.childForFieldName('type')?.text ?? null;
      for (const name of boundNames(left)) {
        definitions.push({ name: name.text, kind: 'variable', node: statement, definition: null, decorators: [], annotation, from: null });
      }
    }
  }
  return { definitions, all, allIsPartial };
}

/** Whether a name is public by Python's convention: no leading underscore, or a dunder (`__init__`, `__version__`). */
export function isPublicName(name: string): boolean {
  return !name.startsWith('_') || (name.startsWith('__') && name.endsWith('__') && name.length > 4);
}

/** Whether a module-level name is part of the module's API: listed in `__all__` when there is one, else public by convention. */
export function isExportedName(model: ModuleModel, name: string): boolean {
  if (model.all && !model.allIsPartial) return model.all.includes(name);
  if (model.all?.includes(name)) return true;
  return !name.startsWith('_');
}
