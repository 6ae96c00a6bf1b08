/**
 * What breaks between two versions of a Python module's API, by Python's own notion:
 * a call, attribute read, `isinstance` check or subclass that worked against the old
 * version fails against the new one. Annotations are not compared: the interpreter
 * never checks them, so a changed annotation breaks no call (a type checker's
 * complaint is not a failure at run time, and reporting it would cost precision).
 */
import type { ApiBreak, ApiDeclaration, ApiParam, UnitApi } from '../model';

type Affects = ApiBreak['affects'];

interface Reporter {
  (declaration: ApiDeclaration, side: 'new' | 'old', name: string, member: string | null, affects: Affects, what: string, message: string): void;
}

const isImported = (d: ApiDeclaration) => d.modifiers.includes('imported');
const isCallable = (d: ApiDeclaration) => d.kind === 'function' || d.kind === 'method' || d.kind === 'constructor';
const isValueLike = (d: ApiDeclaration) => d.kind === 'field' || d.kind === 'variable' || d.kind === 'constant' || d.modifiers.includes('property');
const passesPositionally = (p: ApiParam) => p.kind === 'positional-only' || p.kind === 'positional';
const passesByKeyword = (p: ApiParam) => p.kind === 'positional' || p.kind === 'keyword-only';
const required = (p: ApiParam) => !p.hasDefault && p.kind !== 'var-positional' && p.kind !== 'var-keyword';
/** Bases every class has or that add nothing a caller can depend on. */
const TRIVIAL_BASES = new Set(['object', 'ABC', 'Protocol', 'Generic']);
const baseName = (base: string) => (base.split('[')[0].split('.').pop() ?? base).trim();
/** Special methods every object has from `object`: removing an override leaves the default, which still answers. */
const OBJECT_DEFAULTS = new Set(['__repr__', '__str__', '__eq__', '__ne__', '__hash__', '__format__', '__init_subclass__', '__post_init__', '__del__', '__getattribute__', '__setattr__', '__delattr__', '__dir__', '__reduce__', '__reduce_ex__', '__getstate__', '__setstate__', '__sizeof__', '__subclasshook__', '__new__', '__lt__', '__le__', '__gt__', '__ge__', '__bool__', '__copy__', '__deepcopy__', '__getattr__']);
const isDunder = (name: string) => name.startsWith('__') && name.endsWith('__');

/** A module's classes by name, to follow bases and inherited members defined in the same module. */
type Classes = Map<string, ApiDeclaration>;

/** The names of a class's ancestors (itself excluded), as far as the module defines them. */
function ancestors(declaration: ApiDeclaration, classes: Classes, seen = new Set<string>()): Set<string> {
  for (const base of declaration.bases ?? []) {
    const name = baseName(base);
    if (seen.has(name)) continue;
    seen.add(name);
    const defined = classes.get(name);
    if (defined) ancestors(defined, classes, seen);
  }
  return seen;
}

/** A member of a class or of one of its ancestors the module defines. */
function findMember(declaration: ApiDeclaration, name: string, classes: Classes, seen = new Set<string>()): ApiDeclaration | null {
  const own = declaration.members?.find((m) => m.name === name);
  if (own) return own;
  for (const base of declaration.bases ?? []) {
    const defined = classes.get(baseName(base));
    if (!defined || seen.has(defined.name)) continue;
    seen.add(defined.name);
    const found = findMember(defined, name, classes, seen);
    if (found) return found;
  }
  return null;
}

/** Standard bases whose few members no subclass's own method stands in for: an `Enum`'s or an exception's members are its own. */
const isKnownBase = (name: string) => TRIVIAL_BASES.has(name) || /^(Enum|IntEnum|StrEnum|Flag|IntFlag|NamedTuple|TypedDict|ABC|.*(Error|Exception|Warning))$/.test(name);

/**
 * Whether a class inherits from something neither the module nor Python defines
 * (a framework's base): a method removed from it may be an override, the base's own still answering.
 */
function hasUnknownAncestor(declaration: ApiDeclaration, classes: Classes): boolean {
  return [...ancestors(declaration, classes)].some((name) => !classes.has(name) && !isKnownBase(name));
}

/**
 * The ways a call valid against `before`'s parameters fails against `after`'s, as
 * [what, message] pairs (`what` keys the fingerprint).
 */
export function paramBreaks(label: string, before: ApiParam[], after: ApiParam[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const oldVarPos = before.some((p) => p.kind === 'var-positional');
  const oldVarKw = before.some((p) => p.kind === 'var-keyword');
  const newVarPos = after.some((p) => p.kind === 'var-positional');
  const newVarKw = after.some((p) => p.kind === 'var-keyword');
  if (oldVarPos && !newVarPos) out.push(['varargs-removed', `${label} no longer accepts extra positional arguments (\`*${before.find((p) => p.kind === 'var-positional')?.name}\` removed)`]);
  if (oldVarKw && !newVarKw) out.push(['kwargs-removed', `${label} no longer accepts extra keyword arguments (\`**${before.find((p) => p.kind === 'var-keyword')?.name}\` removed)`]);

  const oldPositional = before.filter(passesPositionally);
  const newPositional = after.filter(passesPositionally);
  const byName = new Map(after.map((p) => [p.name, p]));
  const reported = new Set<string>();
  const renamedTo = new Set<string>();

  // Positional callers: the i-th argument must still land on a parameter that takes it.
  oldPositional.forEach((p, i) => {
    const q = newPositional[i];
    if (!q) {
      if (newVarPos) return;
      const moved = byName.get(p.name);
      if (moved?.kind === 'keyword-only') out.push([`keyword-only:${p.name}`, `${label}'s parameter \`${p.name}\` became keyword-only: positional calls fail`]);
      else if (!moved) out.push([`removed:${p.name}`, `${label} lost its parameter \`${p.name}\``]);
      else out.push([`reordered:${p.name}`, `${label}'s parameter \`${p.name}\` moved: positional arguments land elsewhere`]);
      reported.add(p.name);
      return;
    }
    if (q.name === p.name) return;
    if (p.kind === 'positional-only' && q.kind === 'positional-only' && !byName.has(p.name)) {
      renamedTo.add(q.name); // a positional-only rename breaks nobody
      return;
    }
    if (!byName.has(p.name) && !before.some((o) => o.name === q.name)) {
      // Same place, new name: positional calls still work, keyword calls do not.
      if (p.kind === 'positional-only') return;
      out.push([`renamed:${p.name}`, `${label}'s parameter \`${p.name}\` was renamed to \`${q.name}\`: keyword calls fail`]);
      renamedTo.add(q.name);
    } else {
      out.push([`reordered:${p.name}`, `${label}'s parameters were reordered: \`${p.name}\` is no longer argument ${i + 1}`]);
    }
    reported.add(p.name);
  });

  // Keyword callers, defaults and kinds.
  for (const p of before) {
    if (p.kind === 'var-positional' || p.kind === 'var-keyword' || reported.has(p.name)) continue;
    const q = byName.get(p.name);
    if (!q) {
      if (p.kind === 'positional-only') continue; // positional-only: only its position matters, checked above
      if (newVarKw && (p.kind === 'keyword-only' || newVarPos)) continue; // still accepted by `*args`/`**kwargs`
      out.push([`removed:${p.name}`, `${label} lost its parameter \`${p.name}\``]);
      continue;
    }
    if (passesByKeyword(p) && q.kind === 'positional-only' && !newVarKw) out.push([`positional-only:${p.name}`, `${label}'s parameter \`${p.name}\` became positional-only: keyword calls fail`]);
    else if (p.kind === 'positional' && q.kind === 'keyword-only') out.push([`keyword-only:${p.name}`, `${label}'s parameter \`${p.name}\` became keyword-only: positional calls fail`]);
    else if (p.kind === 'keyword-only' && (q.kind === 'var-positional' || q.kind === 'var-keyword')) out.push([`removed:${p.name}`, `${label} lost its parameter \`${p.name}\``]);
    if (p.hasDefault && required(q)) out.push([`default-removed:${p.name}`, `${label}'s parameter \`${p.name}\` lost its default: calls that leave it out fail`]);
  }

  // New required parameters: every old call leaves them out. A function that took anything (`*args, **kwargs`) was not called without them on purpose.
  if (!(oldVarPos && oldVarKw)) {
    for (const q of after) {
      if (!required(q) || before.some((p) => p.name === q.name) || renamedTo.has(q.name)) continue;
      out.push([`added:${q.name}`, `${label} has a new required parameter \`${q.name}\``]);
    }
  }
  return out;
}

function compareCallable(report: Reporter, label: string, name: string, member: string | null, before: ApiDeclaration, after: ApiDeclaration, affects: Affects) {
  if (before.modifiers.includes('overload') || after.modifiers.includes('overload')) return; // stubs only: the implementation is elsewhere
  for (const [what, message] of paramBreaks(label, before.params ?? [], after.params ?? [])) report(after, 'new', name, member, affects, `params:${what}`, message);
  const wasAsync = before.modifiers.includes('async');
  const isAsync = after.modifiers.includes('async');
  if (wasAsync !== isAsync && !before.modifiers.includes('generator') && !after.modifiers.includes('generator')) {
    report(after, 'new', name, member, 'callers', 'async', isAsync ? `${label} became \`async\`: callers get a coroutine instead of its result` : `${label} is no longer \`async\`: \`await\`ing its result fails`);
  }
}

function methodKind(d: ApiDeclaration): string {
  if (d.modifiers.includes('staticmethod')) return 'staticmethod';
  if (d.modifiers.includes('classmethod')) return 'classmethod';
  return 'instance method';
}

function compareClass(report: Reporter, before: ApiDeclaration, after: ApiDeclaration, oldClasses: Classes, newClasses: Classes) {
  const name = before.name;
  // A base replaced by a class deriving from it is still an ancestor.
  const newBases = ancestors(after, newClasses);
  for (const base of before.bases ?? []) {
    if (TRIVIAL_BASES.has(baseName(base)) || newBases.has(baseName(base))) continue;
    report(after, 'new', name, null, 'both', `base:${baseName(base)}`, `\`${name}\` no longer derives from \`${base}\`: \`isinstance\` checks and inherited members break`);
  }
  if (after.modifiers.includes('frozen') && !before.modifiers.includes('frozen')) {
    report(after, 'new', name, null, 'callers', 'frozen', `\`${name}\` became frozen: assigning to its fields raises \`FrozenInstanceError\``);
  }
  // Protocols and TypedDicts are only checked by type checkers; `__getattr__` answers for any name.
  if (before.modifiers.includes('structural') || after.modifiers.includes('structural')) return;
  const dynamic = after.modifiers.includes('dynamic');
  const newMembers = new Map((after.members ?? []).map((m) => [m.name, m]));
  // A class without `__init__` (its own or a base's in this module) and without other bases took no arguments; a constructor that now needs some breaks those calls.
  const oldConstructor = findMember(before, '__init__', oldClasses);
  const newConstructor = findMember(after, '__init__', newClasses);
  if (!before.members?.some((m) => m.name === '__init__') && newConstructor?.kind === 'constructor') {
    if (oldConstructor?.kind === 'constructor') compareCallable(report, `\`${name}(…)\``, name, '__init__', oldConstructor, newConstructor, 'callers');
    else if (!oldConstructor && !hasUnknownAncestor(before, oldClasses)) compareCallable(report, `\`${name}(…)\``, name, '__init__', { ...newConstructor, params: [], modifiers: [] }, newConstructor, 'callers');
  }
  for (const old of before.members ?? []) {
    const label = `\`${name}.${old.name}\``;
    // Gone from the class but inherited from a base the module defines: still there for callers.
    const now = newMembers.get(old.name) ?? findMember(after, old.name, newClasses);
    if (!now) {
      // `__init__` gone: the inherited constructor is unknown here, not a proven break; nor is a member a base outside the module may provide.
      if (old.kind === 'constructor' || dynamic || OBJECT_DEFAULTS.has(old.name)) continue;
      if (old.kind === 'method' && hasUnknownAncestor(after, newClasses)) continue;
      report(old, 'old', name, old.name, 'callers', 'member-removed', `${label} was removed`);
      continue;
    }
    if (old.modifiers.includes('syntax-error') || now.modifiers.includes('syntax-error')) continue;
    if (old.kind === 'constructor' || now.kind === 'constructor') {
      if (old.kind === 'constructor' && now.kind === 'constructor') compareCallable(report, `\`${name}(…)\``, name, '__init__', old, now, 'callers');
      continue;
    }
    const oldValue = isValueLike(old);
    const newValue = isValueLike(now);
    if (old.kind === 'method' && oldValue !== newValue) {
      report(now, 'new', name, old.name, 'callers', 'property', newValue ? `${label} became a property or attribute: calling it fails` : `${label} became a method: reading it gives a bound method, not its value`);
      continue;
    }
    if (old.kind === 'field' && now.kind === 'method' && !newValue) {
      report(now, 'new', name, old.name, 'callers', 'property', `${label} became a method: reading it gives a bound method, not its value`);
      continue;
    }
    if (old.kind === 'class' || now.kind === 'class') continue;
    if (old.modifiers.includes('settable') && now.modifiers.includes('property') && !now.modifiers.includes('settable')) {
      report(now, 'new', name, old.name, 'callers', 'read-only', `${label} lost its setter: assigning to it raises \`AttributeError\``);
      continue;
    }
    if (old.kind === 'method' && now.kind === 'method') {
      // staticmethod <-> classmethod: both are called the same way, through the class or an instance.
      if (methodKind(old) !== methodKind(now) && (methodKind(old) === 'instance method' || methodKind(now) === 'instance method')) {
        report(now, 'new', name, old.name, 'both', 'method-kind', `${label} changed from ${methodKind(old)} to ${methodKind(now)}: calls through the class or overrides break`);
        continue;
      }
      // Special methods are called by Python itself, positionally: only `__call__`'s parameters are a caller's.
      if (!oldValue && (!isDunder(old.name) || old.name === '__call__')) compareCallable(report, label, name, old.name, old, now, 'callers');
    }
  }
  for (const added of after.members ?? []) {
    const old = (before.members ?? []).find((m) => m.name === added.name);
    if (added.modifiers.includes('abstract') && !old?.modifiers.includes('abstract')) {
      // A class that had no abstract method could be instantiated itself: now its own callers fail too.
      const wasAbstract = (before.members ?? []).some((m) => m.modifiers.includes('abstract'));
      report(added, 'new', name, added.name, wasAbstract ? 'implementers' : 'both', 'abstract', `\`${name}.${added.name}\` is a new abstract method: subclasses that do not implement it can no longer be instantiated`);
    }
  }
}

/** The breaks between two versions of a module's API. */
export function compare(before: UnitApi, after: UnitApi): ApiBreak[] {
  const breaks: ApiBreak[] = [];
  const report: Reporter = (declaration, side, name, member, affects, what, message) => {
    const fingerprint = `${what}:${name}${member ? `.${member}` : ''}`;
    if (breaks.some((b) => b.fingerprint === fingerprint)) return;
    breaks.push({ name, member, affects, message, at: { side, file: declaration.file, line: declaration.line, endLine: declaration.endLine }, fingerprint });
  };
  const current = new Map(after.declarations.map((d) => [d.name, d]));
  const classesOf = (api: UnitApi): Classes => new Map(api.declarations.filter((d) => d.kind === 'class').map((d) => [d.name, d]));
  const oldClasses = classesOf(before);
  const newClasses = classesOf(after);
  // A module `__getattr__` (PEP 562) answers for names no longer defined: the usual deprecation shim.
  const dynamicModule = current.has('__getattr__');
  for (const old of before.declarations) {
    const now = current.get(old.name);
    if (!now) {
      // A name missing from a file that does not parse may only be hidden by the error.
      if (after.hasSyntaxError || dynamicModule || old.modifiers.includes('incidental') || old.name === '__getattr__') continue;
      report(old, 'old', old.name, null, 'both', 'removed', `\`${old.name}\` was removed from the module's public API`);
      continue;
    }
    if (isImported(old) || isImported(now)) continue; // its shape is compared where it is defined
    if (old.modifiers.includes('syntax-error') || now.modifiers.includes('syntax-error')) continue;
    if (old.kind === 'class' && now.kind === 'class') {
      compareClass(report, old, now, oldClasses, newClasses);
    } else if (old.kind === 'class') {
      report(now, 'new', old.name, null, 'both', 'kind', `\`${old.name}\` is no longer a class: subclasses and \`isinstance\` checks fail`);
    } else if (old.kind === 'function' && now.kind === 'class') {
      const constructor = findMember(now, '__init__', newClasses);
      if (constructor?.kind === 'constructor') compareCallable(report, `\`${old.name}\``, old.name, null, old, constructor, 'callers');
    } else if (old.kind === 'function' && now.kind === 'function') {
      compareCallable(report, `\`${old.name}\``, old.name, null, old, now, 'callers');
    } else if (old.modifiers.includes('literal') && isCallable(now)) {
      report(now, 'new', old.name, null, 'callers', 'kind', `\`${old.name}\` became a function: reading it as a value breaks`);
    }
  }
  return breaks;
}
