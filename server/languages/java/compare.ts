/**
 * What breaks between two versions of a Java unit's API, in javac's terms: code
 * written against the old version (callers, and the classes that extend or
 * implement its types) no longer compiles. Overloads are compared as a set keyed
 * by parameter types; an old call still compiles when some new overload of the
 * same name accepts the old argument types (the same, a widening, boxing, a known
 * JDK supertype, a trailing varargs).
 */
import type { ApiBreak, ApiDeclaration, ApiParam, UnitApi } from '../model';
import { addedCheckedExceptions, uncheckedDeclaredIn } from './exceptions';
import { isAssignable, isSubtype, normalizeType, simpleTypeName } from './types';

type Affects = ApiBreak['affects'];
type TypeParams = ReadonlyMap<string, string>;

interface Context {
  breaks: ApiBreak[];
  /** The new version may hide declarations inside a syntax error: nothing missing from it is reported. */
  afterHasError: boolean;
  localUnchecked: ReadonlySet<string>;
}

/** Where a break is: the top-level type dependents name, and the member path inside it (`Inner.m`), if any. */
interface Place {
  top: string;
  path: string | null;
}

const TYPE_KINDS = new Set(['class', 'interface', 'enum', 'record', 'annotation']);
const CALLABLE_KINDS = new Set(['method', 'constructor']);

export function compareJavaApis(before: UnitApi, after: UnitApi): ApiBreak[] {
  const all = [...flattenTypes(before.declarations), ...flattenTypes(after.declarations)];
  const context: Context = { breaks: [], afterHasError: after.hasSyntaxError, localUnchecked: uncheckedDeclaredIn(all) };
  const newTypes = new Map(after.declarations.map((d) => [d.name, d]));
  for (const old of before.declarations) {
    const place = { top: old.name, path: null };
    const current = newTypes.get(old.name);
    if (current) compareTypes(old, current, place, new Map(), context);
    else if (!context.afterHasError) removed(context, old, place, `${kindWord(old)} \`${old.name}\` was removed or is no longer public`);
  }
  return context.breaks;
}

function flattenTypes(declarations: readonly ApiDeclaration[]): ApiDeclaration[] {
  return declarations.flatMap((d) => (TYPE_KINDS.has(d.kind) ? [d, ...flattenTypes(d.members ?? [])] : []));
}

function display(place: Place, member?: string): string {
  return [place.top, place.path, member].filter((s) => !!s).join('.');
}

function push(context: Context, place: Place, member: string | null, affects: Affects, code: string, message: string, at: ApiBreak['at']): void {
  const memberPath = [place.path, member].filter((s) => !!s).join('.') || null;
  const fingerprint = `java:${place.top}${memberPath ? `.${memberPath}` : ''}:${code}`;
  if (context.breaks.some((b) => b.fingerprint === fingerprint)) return;
  context.breaks.push({ name: place.top, member: memberPath, affects, message, at, fingerprint });
}

function atOld(d: ApiDeclaration): ApiBreak['at'] {
  return { side: 'old', file: d.file, line: d.line, endLine: d.endLine };
}
function atNew(d: ApiDeclaration): ApiBreak['at'] {
  return { side: 'new', file: d.file, line: d.line, endLine: d.endLine };
}

function removed(context: Context, old: ApiDeclaration, place: Place, message: string, member: string | null = null, code = 'removed'): void {
  push(context, place, member, 'both', code, message, atOld(old));
}

function kindWord(d: ApiDeclaration): string {
  const words: Record<string, string> = { class: 'Class', interface: 'Interface', enum: 'Enum', record: 'Record', annotation: 'Annotation' };
  return words[d.kind] ?? 'Type';
}

function typeParamMap(outer: TypeParams, declaration: ApiDeclaration, prefix: string): Map<string, string> {
  const map = new Map(outer);
  (declaration.typeParams ?? []).forEach((p, i) => map.set(p.name, `${prefix}${i}`));
  return map;
}

function has(d: ApiDeclaration, flag: string): boolean {
  return d.modifiers.includes(flag);
}

/** A type outside code can extend: a class or interface that is not final and has an accessible constructor (interfaces need none). */
function isExtensible(type: ApiDeclaration): boolean {
  if (has(type, 'final')) return false;
  if (type.kind === 'interface') return true;
  if (type.kind !== 'class') return false;
  return (type.members ?? []).some((m) => m.kind === 'constructor');
}

function compareTypes(old: ApiDeclaration, current: ApiDeclaration, place: Place, outer: TypeParams, context: Context): void {
  const name = display(place);
  const at = atNew(current);
  const self = (affects: Affects, code: string, message: string) => push(context, place, null, affects, code, message, at);
  if (old.kind !== current.kind) {
    self('both', 'kind', `\`${name}\` changed from ${old.kind} to ${current.kind}`);
    return;
  }
  if (old.visibility === 'public' && current.visibility === 'protected') self('callers', 'visibility', `\`${name}\` was reduced from public to protected`);
  if (!has(old, 'final') && has(current, 'final') && isExtensible(old)) self('implementers', 'final', `\`${name}\` became final: classes extending it no longer compile`);
  if (old.kind === 'class' && !has(old, 'abstract') && has(current, 'abstract') && (old.members ?? []).some((m) => m.kind === 'constructor')) {
    self('callers', 'abstract', `\`${name}\` became abstract: \`new ${old.name}(…)\` no longer compiles`);
  }
  if (!has(old, 'sealed') && has(current, 'sealed') && !has(old, 'final')) self('implementers', 'sealed', `\`${name}\` became sealed: only the permitted classes may extend it`);
  if (place.path !== null && old.kind === 'class' && has(old, 'static') !== has(current, 'static')) {
    self('callers', 'static', `\`${name}\` changed from a ${has(old, 'static') ? 'static nested' : 'inner'} class to ${has(current, 'static') ? 'a static nested' : 'an inner'} class`);
  }
  const oldParams = typeParamMap(outer, old, `%${place.path ?? ''}`);
  const newParams = typeParamMap(outer, current, `%${place.path ?? ''}`);
  compareTypeParams(old, current, oldParams, newParams, (message) => self('callers', 'type-params', `\`${name}\` ${message}`));
  const newBases = new Set((current.bases ?? []).map(simpleTypeName));
  for (const baseType of old.bases ?? []) {
    if (!newBases.has(simpleTypeName(baseType))) {
      push(context, place, null, 'callers', `base:${simpleTypeName(baseType)}`, `\`${name}\` no longer extends or implements \`${baseType}\``, at);
    }
  }
  compareMembers(old, current, place, oldParams, newParams, context);
}

/**
 * Type parameters: a different number breaks every `C<X>` written; a bound that
 * is new or narrower rejects type arguments that used to be accepted. A bound
 * removed, relaxed to `Object`, dropped from an intersection or widened to a known
 * supertype accepts more and breaks nobody.
 */
function compareTypeParams(old: ApiDeclaration, current: ApiDeclaration, oldMap: TypeParams, newMap: TypeParams, report: (message: string) => void, countMatters = true): void {
  const before = old.typeParams ?? [];
  const after = current.typeParams ?? [];
  if (before.length !== after.length) {
    // A type made generic is still usable raw (`C c = new C()` compiles, with a warning); fewer or other parameters break `C<X>`.
    if (countMatters && before.length > 0) report(`has ${after.length} type parameters instead of ${before.length}`);
    return;
  }
  before.forEach((p, i) => {
    const q = after[i];
    const oldBound = p.bound === null ? [] : splitBound(normalizeType(p.bound, oldMap));
    const newBound = q.bound === null ? [] : splitBound(normalizeType(q.bound, newMap));
    const relaxed = newBound.every((n) => n === 'Object' || oldBound.some((o) => isSubtype(o, n)));
    if (!relaxed) report(`narrowed the bound of type parameter \`${q.name}\` to \`${q.bound}\``);
  });
}

function splitBound(bound: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < bound.length; i++) {
    if (bound[i] === '<') depth++;
    else if (bound[i] === '>') depth--;
    else if (bound[i] === '&' && depth === 0) {
      parts.push(bound.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(bound.slice(start));
  return parts.filter((p) => p !== '');
}

function paramKey(params: readonly ApiParam[] | undefined, map: TypeParams): string {
  return (params ?? []).map((p) => normalizeType(p.type, map)).join(',');
}

function callableMap(outer: TypeParams, d: ApiDeclaration): Map<string, string> {
  return typeParamMap(outer, d, '#');
}

function signature(d: ApiDeclaration, owner: ApiDeclaration): string {
  const name = d.kind === 'constructor' ? owner.name : d.name;
  return `${name}(${(d.params ?? []).map((p) => p.type ?? '?').join(', ')})`;
}

/** Whether a call written for `old`'s parameters still compiles against `candidate`'s. */
function accepts(old: ApiDeclaration, oldMap: TypeParams, candidate: ApiDeclaration, newMap: TypeParams): boolean {
  const args = (old.params ?? []).map((p) => normalizeType(p.type, oldMap));
  const params = (candidate.params ?? []).map((p) => normalizeType(p.type, newMap));
  const oldVarargs = (old.params ?? []).at(-1)?.kind === 'var-positional';
  const fits = (arg: string, param: string) => isAssignable(arg.replace(/\.\.\.$/, '[]'), param.replace(/\.\.\.$/, '[]')) || /^#\d+$/.test(param);
  const last = (candidate.params ?? []).at(-1);
  if (args.length === params.length && args.every((a, i) => fits(a, params[i]))) {
    // Old calls passing several values to old varargs need new varargs there.
    return !oldVarargs || last?.kind === 'var-positional';
  }
  if (last?.kind !== 'var-positional' || oldVarargs) return false;
  // A new trailing varargs parameter accepts the old calls' extra arguments, or none.
  const fixed = params.slice(0, -1);
  const element = params[params.length - 1].replace(/\.\.\.$/, '');
  if (args.length < fixed.length) return false;
  return args.every((a, i) => (i < fixed.length ? fits(a, fixed[i]) : fits(a, element)));
}

/** Whether subclasses or implementers can override a member of `owner`. */
function overridable(member: ApiDeclaration, owner: ApiDeclaration): boolean {
  return member.kind === 'method' && !has(member, 'static') && !has(member, 'final') && isExtensible(owner);
}

function compareMembers(oldType: ApiDeclaration, newType: ApiDeclaration, place: Place, oldMap: TypeParams, newMap: TypeParams, context: Context): void {
  const oldMembers = oldType.members ?? [];
  const newMembers = newType.members ?? [];
  const matchedNew = new Set<ApiDeclaration>();
  const same = (a: ApiDeclaration, pick: (m: ApiDeclaration) => boolean) => newMembers.find((m) => m.name === a.name && pick(m));

  for (const old of oldMembers) {
    const shown = display(place, old.kind === 'constructor' ? undefined : old.name);
    if (TYPE_KINDS.has(old.kind)) {
      const current = same(old, (m) => TYPE_KINDS.has(m.kind));
      const nested = { top: place.top, path: place.path ? `${place.path}.${old.name}` : old.name };
      if (current) compareTypes(old, current, nested, oldMap, context);
      else if (!context.afterHasError) removed(context, old, place, `${kindWord(old)} \`${shown}\` was removed or is no longer public`, old.name);
    } else if (old.kind === 'field' || old.kind === 'enum-constant') {
      const current = same(old, (m) => m.kind === old.kind);
      if (!current) {
        const word = old.kind === 'field' ? 'Field' : 'Enum constant';
        if (!context.afterHasError) removed(context, old, place, `${word} \`${shown}\` was removed or is no longer public`, old.name);
        continue;
      }
      compareField(old, current, place, shown, oldMap, newMap, context);
    } else if (CALLABLE_KINDS.has(old.kind)) {
      compareCallable(old, oldType, newType, place, oldMap, newMap, context, matchedNew);
    }
  }

  // Additions that oblige implementers (an abstract method) or users (an annotation element without a default).
  for (const current of newMembers) {
    if (current.kind !== 'method' || !has(current, 'abstract')) continue;
    const map = callableMap(newMap, current);
    const key = paramKey(current.params, map);
    const existed = oldMembers.some((m) => m.kind === 'method' && m.name === current.name && paramKey(m.params, callableMap(oldMap, m)) === key && has(m, 'abstract'));
    if (existed) continue;
    const shown = display(place, current.name);
    if (newType.kind === 'annotation') {
      if (!has(current, 'default') && !oldMembers.some((m) => m.name === current.name)) {
        push(context, place, current.name, 'callers', 'element-added', `Annotation element \`${shown}\` was added without a default: every use of \`@${newType.name}\` must set it`, atNew(current));
      }
      continue;
    }
    if (!isExtensible(oldType) && oldType.kind !== 'interface') continue;
    const wasConcrete = oldMembers.some((m) => m.kind === 'method' && m.name === current.name && paramKey(m.params, callableMap(oldMap, m)) === key);
    const message = wasConcrete
      ? `\`${shown}\` became abstract${newType.kind === 'interface' ? ' (its default body was removed)' : ''}: implementers must now define it`
      : `Abstract method \`${display(place, signature(current, newType))}\` was added${newType.kind === 'interface' ? ' without a default' : ''}: implementers must define it`;
    push(context, place, current.name, 'implementers', `abstract(${key})`, message, atNew(current));
  }
}

function compareField(old: ApiDeclaration, current: ApiDeclaration, place: Place, shown: string, oldMap: TypeParams, newMap: TypeParams, context: Context): void {
  const at = atNew(current);
  const report = (affects: Affects, code: string, message: string) => push(context, place, old.name, affects, code, message, at);
  if (old.visibility === 'public' && current.visibility === 'protected') report('callers', 'visibility', `\`${shown}\` was reduced from public to protected`);
  if (old.kind !== 'field') return;
  if (normalizeType(old.type ?? null, oldMap) !== normalizeType(current.type ?? null, newMap)) {
    report('callers', 'type', `Field \`${shown}\` changed type from \`${old.type}\` to \`${current.type}\``);
  }
  if (has(old, 'static') !== has(current, 'static')) report('callers', 'static', `Field \`${shown}\` ${has(current, 'static') ? 'became static' : 'is no longer static'}`);
  if (!has(old, 'final') && has(current, 'final')) report('callers', 'final', `Field \`${shown}\` became final: assignments to it no longer compile`);
}

function compareCallable(
  old: ApiDeclaration, oldType: ApiDeclaration, newType: ApiDeclaration, place: Place,
  oldMap: TypeParams, newMap: TypeParams, context: Context, matchedNew: Set<ApiDeclaration>,
): void {
  const member = old.name;
  const shown = display(place, signature(old, oldType));
  const oldCallMap = callableMap(oldMap, old);
  const key = paramKey(old.params, oldCallMap);
  const overloads = (newType.members ?? []).filter((m) => m.kind === old.kind && m.name === old.name);
  const exact = overloads.find((m) => paramKey(m.params, callableMap(newMap, m)) === key);
  const code = (what: string) => `${what}(${key})`;
  const current = exact ?? overloads.find((m) => accepts(old, oldCallMap, m, callableMap(newMap, m)));
  if (!current) {
    if (context.afterHasError) return;
    const word = old.kind === 'constructor' ? 'Constructor' : 'Method';
    const message = overloads.length > 0
      ? `${word} \`${shown}\` no longer exists: its parameters are now ${overloads.map((m) => `\`(${(m.params ?? []).map((p) => p.type).join(', ')})\``).join(' or ')}`
      : `${word} \`${shown}\` was removed or is no longer public`;
    push(context, place, member, overridable(old, oldType) ? 'both' : 'callers', code('removed'), message, atOld(old));
    return;
  }
  matchedNew.add(current);
  const at = atNew(current);
  const report = (affects: Affects, what: string, message: string) => push(context, place, member, affects, code(what), message, at);
  const canOverride = overridable(old, oldType);
  // Only subclasses can construct an abstract class: its constructor being protected rather than public changes nothing.
  const constructsAbstract = old.kind === 'constructor' && has(oldType, 'abstract');
  if (old.visibility === 'public' && current.visibility === 'protected' && !constructsAbstract) {
    report('callers', 'visibility', `\`${shown}\` was reduced from public to protected`);
  }
  if (has(old, 'static') !== has(current, 'static')) report('both', 'static', `\`${shown}\` ${has(current, 'static') ? 'became static' : 'is no longer static'}`);
  if (old.kind === 'method') {
    const before = normalizeType(old.returns ?? null, oldCallMap);
    const after = normalizeType(current.returns ?? null, callableMap(newMap, current));
    if (before !== after) {
      const message = `\`${shown}\` now returns \`${current.returns}\` instead of \`${old.returns}\``;
      // Callers that ignore a void result or read a supertype still compile; overriders must match.
      const callersFine = before === 'void' || (after !== 'void' && isSubtype(after, before));
      if (!callersFine) report(canOverride ? 'both' : 'callers', 'returns', message);
      else if (canOverride) report('implementers', 'returns', message);
    }
    if (canOverride && has(current, 'final')) report('implementers', 'final', `\`${shown}\` became final: subclasses can no longer override it`);
  }
  const added = addedCheckedExceptions(old.throws ?? [], current.throws ?? [], context.localUnchecked);
  if (added.length > 0) report('callers', 'throws', `\`${shown}\` now throws checked ${added.map((e) => `\`${e}\``).join(', ')}: callers must catch or declare ${added.length > 1 ? 'them' : 'it'}`);
  compareTypeParams(old, current, oldCallMap, callableMap(newMap, current), (message) => report('callers', 'type-params', `\`${shown}\` ${message}`), false);
  if (oldType.kind === 'annotation' && has(old, 'default') && !has(current, 'default')) {
    report('callers', 'default', `Annotation element \`${shown}\` lost its default: every use of \`@${oldType.name}\` must set it`);
  }
}
