/**
 * What breaks between two versions of a Go package's API, by the compiler's notion:
 * code written against the old version no longer compiles. Types are compared as
 * written (whitespace collapsed, `interface{}` as `any`): syntax cannot tell that
 * two spellings name one type, so a respelling is reported, which is rare.
 *
 * Compatible, never reported: new names, new struct fields (a keyed literal still
 * compiles; positional literals of other packages' structs are frowned on by `go vet`),
 * parameter and result renames, a pointer-receiver method becoming a value-receiver
 * one, methods added to an interface no other package can implement (it has an
 * unexported method), a constraint widened to `any` or to a superset of its terms.
 */
import type { ApiBreak, ApiDeclaration, ApiParam, UnitApi } from '../model';
import { defaultTypeOf, positional } from './syntax';

type Affects = ApiBreak['affects'];
type Report = (at: ApiDeclaration, side: 'new' | 'old', name: string, member: string | null, affects: Affects, what: string, message: string) => void;

const isVariadic = (params: ApiParam[]) => params.at(-1)?.kind === 'var-positional';
const signature = (params: ApiParam[], scope: readonly string[] = []) => params.map((p) => `${p.kind === 'var-positional' ? '...' : ''}${positional(p.type, scope)}`).join(', ');
/** The type parameter names a declaration binds, in order. */
const scopeOf = (d: ApiDeclaration) => (d.typeParams ?? []).map((p) => p.name);

/** The terms of a constraint (`~int | string` -> {`~int`, `string`}), null for `any`. */
function terms(bound: string | null): Set<string> | null {
  if (!bound || bound === 'any') return null;
  return new Set(bound.split('|').map((t) => t.trim()));
}

/** Whether every type argument valid for `before` is valid for `after`. */
function constraintKept(before: string | null, after: string | null): boolean {
  if (before === after) return true;
  const newTerms = terms(after);
  if (!newTerms) return true;
  const oldTerms = terms(before);
  if (!oldTerms) return false;
  // Widened to a union holding every old term; anything else (a new method, a new interface) is taken as narrowed.
  return [...oldTerms].every((t) => newTerms.has(t));
}

function compareTypeParams(report: Report, label: string, name: string, member: string | null, before: ApiDeclaration, after: ApiDeclaration) {
  const old = before.typeParams ?? [];
  const now = after.typeParams ?? [];
  if (old.length !== now.length) {
    report(after, 'new', name, member, 'callers', 'type-params', `${label} now has ${now.length} type parameter${now.length === 1 ? '' : 's'} instead of ${old.length}: instantiations of it no longer compile`);
    return;
  }
  old.forEach((p, i) => {
    if (!constraintKept(positional(p.bound, scopeOf(before)), positional(now[i].bound, scopeOf(after)))) {
      report(after, 'new', name, member, 'callers', `constraint:${i}`, `${label}'s type parameter \`${now[i].name}\` is constrained more narrowly (\`${p.bound ?? 'any'}\` -> \`${now[i].bound ?? 'any'}\`)`);
    }
  });
}

/**
 * A function or method: its parameter types in order, variadic-ness, results, type
 * parameters. Types are compared with the type parameters in scope by position: a
 * function's own, a method's receiver's, or (`outer`) the generic type's for an
 * interface's methods.
 */
function compareCallable(report: Report, label: string, name: string, member: string | null, before: ApiDeclaration, after: ApiDeclaration, affects: Affects, outer: { before: string[]; after: string[] } = { before: [], after: [] }) {
  const scopeBefore = [...outer.before, ...scopeOf(before)];
  const scopeAfter = [...outer.after, ...scopeOf(after)];
  const old = before.params ?? [];
  const now = after.params ?? [];
  if (isVariadic(old) !== isVariadic(now)) {
    report(after, 'new', name, member, affects, 'variadic', `${label} ${isVariadic(now) ? 'became' : 'is no longer'} variadic: (${signature(old)}) -> (${signature(now)})`);
  } else if (signature(old, scopeBefore) !== signature(now, scopeAfter)) {
    const what = now.length > old.length ? 'gained parameters' : now.length < old.length ? 'lost parameters' : 'changed its parameter types';
    report(after, 'new', name, member, affects, 'params', `${label} ${what}: (${signature(old)}) -> (${signature(now)})`);
  }
  if (positional(before.returns, scopeBefore) !== positional(after.returns, scopeAfter)) {
    report(after, 'new', name, member, affects, 'results', `${label}'s results changed: \`${before.returns ?? '()'}\` -> \`${after.returns ?? '()'}\``);
  }
  // A method's type parameters are its receiver's: the type's own comparison reports their changes.
  if (before.kind !== 'method') compareTypeParams(report, label, name, member, before, after);
}

function compareMembers(report: Report, before: ApiDeclaration, after: ApiDeclaration, errors: { before: boolean; after: boolean }) {
  const name = before.name;
  const current = new Map((after.members ?? []).map((m) => [m.name, m]));
  const isInterface = before.kind === 'interface';
  for (const old of before.members ?? []) {
    const label = `\`${name}.${old.name}\``;
    const now = current.get(old.name);
    if (!now) {
      if (errors.after) continue; // hidden by the syntax error, maybe
      report(old, 'old', name, old.name, isInterface ? 'callers' : 'both', 'member-removed', `${label} was removed`);
      continue;
    }
    if (old.kind !== now.kind) {
      report(now, 'new', name, old.name, 'callers', 'member-kind', `${label} changed from a ${old.kind} to a ${now.kind}`);
      continue;
    }
    if (old.kind === 'field') {
      if (old.modifiers.includes('embedded') && !now.modifiers.includes('embedded')) {
        report(now, 'new', name, old.name, 'callers', 'unembedded', `${label} is no longer embedded: the fields and methods it promoted are gone`);
      } else if (positional(old.type, scopeOf(before)) !== positional(now.type, scopeOf(after))) report(now, 'new', name, old.name, 'callers', 'field-type', `${label}'s type changed: \`${old.type}\` -> \`${now.type}\``);
      continue;
    }
    // An interface's method signature is a contract both ways; a concrete method's breaks callers and the interfaces it satisfied.
    compareCallable(report, label, name, old.name, old, now, isInterface ? 'both' : 'callers', isInterface ? { before: scopeOf(before), after: scopeOf(after) } : undefined);
    if (!old.modifiers.includes('pointer-receiver') && now.modifiers.includes('pointer-receiver')) {
      report(now, 'new', name, old.name, 'both', 'pointer-receiver', `${label} now has a pointer receiver: it is no longer in the method set of a \`${name}\` value, so value calls on non-addressable values and interface satisfaction by \`${name}\` break`);
    }
  }
  if (isInterface && !before.modifiers.includes('sealed') && !errors.before) {
    const oldNames = new Set((before.members ?? []).map((m) => m.name));
    for (const added of after.members ?? []) {
      if (!oldNames.has(added.name)) report(added, 'new', name, added.name, 'implementers', 'method-added', `\`${name}.${added.name}\` was added to the interface: types that implemented \`${name}\` no longer do`);
    }
  }
  const newBases = new Set(after.bases ?? []);
  const oldBases = new Set(before.bases ?? []);
  for (const base of oldBases) {
    // A struct's exported embedded field is a member: its removal is reported as one.
    if (!isInterface && (before.members ?? []).some((m) => m.modifiers.includes('embedded') && m.type === base)) continue;
    if (!newBases.has(base) && !errors.after) report(after, 'new', name, null, isInterface ? 'callers' : 'both', `base-removed:${base}`, `\`${name}\` no longer embeds \`${base}\`: its promoted ${isInterface ? 'methods are' : 'fields and methods are'} gone`);
  }
  if (isInterface && !before.modifiers.includes('sealed') && !errors.before) {
    for (const base of newBases) {
      if (!oldBases.has(base)) report(after, 'new', name, null, 'implementers', `base-added:${base}`, `\`${name}\` now embeds \`${base}\`: types that implemented \`${name}\` must now implement it too`);
    }
  }
}

/** A typed constant that became untyped of the kind that defaults to its type (`int` -> `1`) is usable everywhere it was. */
function untypedKept(before: string, after: string): boolean {
  return !before.startsWith('untyped ') && after.startsWith('untyped ') && defaultTypeOf(after) === before;
}

/** The breaks between two versions of a package's API. */
export function compare(before: UnitApi, after: UnitApi): ApiBreak[] {
  const breaks: ApiBreak[] = [];
  const report: Report = (at, side, name, member, affects, what, message) => {
    const fingerprint = `${what}:${name}${member ? `.${member}` : ''}`;
    if (breaks.some((b) => b.fingerprint === fingerprint)) return;
    breaks.push({ name, member, affects, message, at: { side, file: at.file, line: at.line, endLine: at.endLine }, fingerprint });
  };
  const current = new Map(after.declarations.map((d) => [d.name, d]));
  for (const old of before.declarations) {
    const now = current.get(old.name);
    const label = `\`${old.name}\``;
    if (!now) {
      // A name missing from a package that does not parse may only be hidden by the error.
      if (!after.hasSyntaxError) report(old, 'old', old.name, null, 'both', 'removed', `${label} was removed from the package's exported API`);
      continue;
    }
    if (old.kind !== now.kind) {
      report(now, 'new', old.name, null, 'both', 'kind', `${label} changed from a ${old.kind} to a ${now.kind}`);
      continue;
    }
    if (old.kind === 'function') {
      compareCallable(report, label, old.name, null, old, now, 'callers');
      continue;
    }
    if (old.kind === 'constant' || old.kind === 'variable') {
      // Only when both types are known: an unknown (a call's result) is no evidence of a change.
      if (old.type && now.type && old.type !== now.type && !untypedKept(old.type, now.type)) report(now, 'new', old.name, null, 'callers', 'value-type', `${label}'s type changed: \`${old.type}\` -> \`${now.type}\``);
      continue;
    }
    // Types.
    const wasAlias = old.modifiers.includes('alias');
    if (old.kind === 'type' && (positional(old.type, scopeOf(old)) !== positional(now.type, scopeOf(now)) || wasAlias !== now.modifiers.includes('alias'))) {
      report(now, 'new', old.name, null, 'callers', 'underlying', `${label}'s ${wasAlias ? 'aliased' : 'underlying'} type changed: \`${old.type}\` -> \`${now.type}\``);
    }
    compareTypeParams(report, label, old.name, null, old, now);
    compareMembers(report, old, now, { before: before.hasSyntaxError, after: after.hasSyntaxError });
  }
  return breaks;
}
