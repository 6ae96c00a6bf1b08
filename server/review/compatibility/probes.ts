/**
 * Probes: small pieces of user code written against the *old* version of a
 * module, one per way of using its API (a call with each arity the old
 * signature allowed, a read and a write of each member, an object literal typed
 * as an exported interface, a subclass, an annotation with the old type
 * arguments…). The same probe text is compiled twice, once importing the old
 * version and once the new: a probe that compiles against the old version but
 * not the new is a use that the change breaks. A probe that does not compile
 * against the old version either says nothing (it was written wrong, or the
 * old API cannot be named from outside), so generating probes generously costs
 * precision nothing.
 *
 * Types are written as the old module names them (its imports are copied into
 * the probe), so that names resolve to the *target's* declarations: that is how
 * user code behaves when a module changes under it, and it keeps classes and
 * enums of the two versions from being compared as strangers.
 */
import { ts } from 'ts-morph';
import { isLibFile } from './checkerProgram';

/** How a probe uses the API: also the order in which a declaration's broken uses are reported. */
export type UseKind = 'import' | 'annotate' | 'construct' | 'call' | 'type-arguments' | 'return' | 'read' | 'write' | 'implement' | 'extend' | 'override' | 'protected';

export interface Probe {
  id: number;
  /** The top-level export this probe belongs to: `default` for the default export, `export=` for `export =`. */
  exportName: string;
  use: UseKind;
  /** The use in the user's terms, e.g. "calls `parse(text)`" or "writes to `Config.url`". */
  describe: string;
  /** What the use reaches, e.g. `parse`, `Config.url`: named when it is gone. */
  subject: string;
  /** Only worth reporting when no other use of the export broke (reading a function as its old type says less than the call that fails). */
  fallback: boolean;
  /** Written over type parameters: the compiler compares some types there only by how they are built. */
  generic: boolean;
  /** Probes that must compile against the new version for this one's failure to be reported (a return probe needs its call). */
  requires: number[];
  code: string;
}

export interface ProbeSet {
  probes: Probe[];
  /** Exports whose uses were not probed (over MAX_PROBES): only their existence was checked. */
  skipped: string[];
  /** The probe file that imports the module from `specifier`, with where each probe stands in it. */
  render(specifier: string): RenderedProbes;
}

export interface RenderedProbes {
  text: string;
  /** [start, end) offsets of each probe's code in `text`, by probe id. */
  spans: Array<{ start: number; end: number; probe: number }>;
}

export interface ProbeTarget {
  /** The export's name in the module (`default`, or `export=`). */
  name: string;
  /** The exported symbol, aliases resolved. */
  symbol: ts.Symbol;
  /** Only check that the name still exists (its declaration lives in a file the change did not touch). */
  existenceOnly: boolean;
}

/** Beyond this, a declaration's members and signatures stop adding much but cost time. */
const MAX_SIGNATURES = 8;
const MAX_MEMBERS = 80;
/** A namespace is a module's worth of exports (React's has nearly 300). */
const MAX_NAMESPACE_MEMBERS = 1000;
/**
 * Past this many probes a module's remaining exports are only checked to exist
 * (a release of zod changes thousands of declarations): the comparison says it
 * was partial rather than taking minutes and gigabytes.
 */
export const MAX_PROBES = 5000;
const NODE_FLAGS = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.UseAliasDefinedOutsideCurrentScope | ts.NodeBuilderFlags.IgnoreErrors;
const TYPE_FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
const NAMESPACE = '__dw';

/** What a probe is written inside: the wrapper's type parameters and parameters, and how it reaches the value. */
interface Scope {
  typeParameters: string[];
  parameters: string[];
  /** The expression that reaches the value or member, e.g. `__dw.parse` or `__o.url`. */
  access: string;
  /** The name in messages, e.g. `parse`, `Config.url`. */
  label: string;
  exportName: string;
}

export function buildProbes(checker: ts.TypeChecker, oldFile: ts.SourceFile, targets: readonly ProbeTarget[], exportEquals: boolean, limit = MAX_PROBES): ProbeSet {
  const printer = ts.createPrinter({ removeComments: true });
  const probes: Probe[] = [];
  const print = (node: ts.Node) => printer.printNode(ts.EmitHint.Unspecified, node, oldFile);
  const typeText = (type: ts.Type) => checker.typeToString(type, oldFile, TYPE_FLAGS);
  const add = (exportName: string, use: UseKind, describe: string, code: string, requires: number[] = [], subject = exportName, fallback = false): number => {
    probes.push({ id: probes.length, exportName, use, describe, subject, fallback, requires, code, generic: isGeneric(code) });
    return probes.length - 1;
  };
  const wrap = (scope: Scope, extraTypeParameters: string[], extraParameters: string[], body: string, returnType?: string): string => {
    const typeParameters = [...scope.typeParameters, ...extraTypeParameters];
    return `function __p${probes.length}${typeParameters.length ? `<${typeParameters.join(', ')}>` : ''}(${[...scope.parameters, ...extraParameters].join(', ')})${returnType ? `: ${returnType}` : ''} { ${body} }`;
  };

  /** Calls (or `new`) of `scope.access` with each arity the old signature allowed, with explicit type arguments, and the result's type. */
  const callProbes = (scope: Scope, signature: ts.Signature, construct: boolean) => {
    const node = checker.signatureToSignatureDeclaration(signature, construct ? ts.SyntaxKind.ConstructorType : ts.SyntaxKind.FunctionType, oldFile, NODE_FLAGS) as ts.FunctionTypeNode | ts.ConstructorTypeNode | undefined;
    if (!node) return;
    const typeParameters = (node.typeParameters ?? []).map(print);
    const typeArguments = (node.typeParameters ?? []).map((parameter) => parameter.name.text);
    const parameters = node.parameters
      .filter((parameter) => !(ts.isIdentifier(parameter.name) && parameter.name.text === 'this'))
      .map((parameter, i) => ({
        name: ts.isIdentifier(parameter.name) && !parameter.name.text.startsWith('__') ? parameter.name.text : `arg${i}`,
        type: asInput(parameter.type ? print(parameter.type) : 'any'),
        optional: parameter.questionToken !== undefined,
        rest: parameter.dotDotDotToken !== undefined,
      }));
    const fixed = parameters.filter((parameter) => !parameter.rest);
    const rest = parameters.find((parameter) => parameter.rest);
    const required = fixed.findIndex((parameter) => parameter.optional);
    const minimum = required === -1 ? fixed.length : required;
    const declared = [...fixed.map((p) => `${p.name}: ${p.type}`), ...(rest ? [`...${rest.name}: ${rest.type}`] : [])];
    const call = (count: number, withRest: boolean, explicit: boolean) => {
      const args = [...fixed.slice(0, count).map((p) => p.name), ...(withRest && rest ? [`...${rest.name}`] : [])];
      return `${construct ? 'new ' : ''}${scope.access}${explicit ? `<${typeArguments.join(', ')}>` : ''}(${args.join(', ')})`;
    };
    const shown = (count: number, withRest: boolean) => {
      const names = [...fixed.slice(0, count).map((p) => p.name), ...(withRest && rest ? [`...${rest.name}`] : [])];
      return `\`${construct ? 'new ' : ''}${scope.label}(${names.join(', ')})\``;
    };
    const arities: Array<[number, boolean]> = [];
    for (let count = minimum; count <= fixed.length && arities.length < 4; count++) arities.push([count, false]);
    if (rest) arities.push([fixed.length, true]);
    let baseCall = -1;
    for (const [count, withRest] of arities) {
      const args = count + (withRest ? 1 : 0);
      const id = add(scope.exportName, construct ? 'construct' : 'call', `${construct ? 'constructions' : 'calls'} ${shown(count, withRest)} (${args} argument${args === 1 ? '' : 's'})`,
        wrap(scope, typeParameters, declared, `${call(count, withRest, false)};`), [], scope.label);
      if (baseCall === -1) baseCall = id;
    }
    if (typeArguments.length) {
      add(scope.exportName, 'type-arguments', `calls of \`${scope.label}\` with explicit type arguments \`<${typeArguments.join(', ')}>\``,
        wrap(scope, typeParameters, declared, `${call(minimum, false, true)};`), [], scope.label);
    }
    if (!construct && node.type) {
      const returnType = print(node.type);
      if (!/^(void|any|unknown|never|undefined)$/.test(returnType) && !/\bthis\b/.test(returnType)) {
        add(scope.exportName, 'return', `uses of the result of ${shown(minimum, false)} as \`${returnType}\``,
          wrap(scope, typeParameters, declared, `return ${call(minimum, false, false)};`, returnType), baseCall === -1 ? [] : [baseCall], scope.label);
      }
    }
  };

  const accessor = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);
  const isHidden = (symbol: ts.Symbol) => {
    if (symbol.name.startsWith('__@') || symbol.name.startsWith('#')) return true;
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration) return false;
    const flags = ts.getCombinedModifierFlags(declaration as ts.Declaration);
    return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || (ts.isPropertyDeclaration(declaration) && ts.isPrivateIdentifier(declaration.name));
  };
  /** What a setter takes, when it differs from what the getter gives. */
  const writeTypeText = (symbol: ts.Symbol): string | null => {
    const setter = symbol.declarations?.find(ts.isSetAccessorDeclaration);
    const parameter = setter?.parameters[0];
    return parameter ? typeText(checker.getTypeAtLocation(parameter)) : null;
  };
  /**
   * A member inherited from another export that is probed itself (twelve error
   * classes extending one base): its uses are probed once, on the declaration that has it.
   */
  const probed = new Set<ts.Node>(targets.filter((target) => !target.existenceOnly).flatMap((target) => target.symbol.declarations ?? []));
  /** The export being probed, whose own members are never "elsewhere". */
  let probing: ts.Symbol | undefined;
  const probedElsewhere = (member: ts.Symbol) => {
    const declaration = member.valueDeclaration ?? member.declarations?.[0];
    // `every` of an exported array, `message` of an Error subclass: the standard library's, the same on both sides.
    if (declaration && isLibFile(declaration.getSourceFile().fileName)) return true;
    const owner = declaration?.parent;
    return owner !== undefined && probed.has(owner) && probing !== undefined && !(probing.declarations ?? []).some((d) => d === owner);
  };
  const isMethod = (symbol: ts.Symbol) => symbol.declarations?.some((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d)) ?? false;

  /** Reads, writes and calls of every public member of `type`, reached through `scope.access`. */
  const memberProbes = (scope: Scope, type: ts.Type) => {
    for (const member of checker.getPropertiesOfType(type).slice(0, MAX_MEMBERS)) {
      if (isHidden(member) || probedElsewhere(member)) continue;
      const memberScope = { ...scope, access: `${scope.access}${accessor(member.name)}`, label: `${scope.label}.${member.name}` };
      const memberType = checker.getTypeOfSymbol(member);
      if (isMethod(member)) {
        for (const signature of memberType.getCallSignatures().slice(0, MAX_SIGNATURES)) callProbes(memberScope, signature, false);
        continue;
      }
      const text = typeText(memberType);
      if (!/^(any|unknown)$/.test(text)) add(scope.exportName, 'read', `reads of \`${memberScope.label}\` as \`${abbreviate(text)}\``, wrap(scope, [], [], `const __v: ${text} = ${memberScope.access}; void __v;`), [], memberScope.label);
      add(scope.exportName, 'write', `writes to \`${memberScope.label}\``, wrap(scope, [], [`__w: ${asInput(writeTypeText(member) ?? text)}`], `${memberScope.access} = __w;`), [], memberScope.label);
      const signatures = memberType.getCallSignatures();
      if (signatures.length && !memberType.getProperties().length) {
        for (const signature of signatures.slice(0, MAX_SIGNATURES)) callProbes(memberScope, signature, false);
      }
    }
    for (const info of checker.getIndexInfosOfType(type)) {
      const key = typeText(info.keyType);
      const value = typeText(info.type);
      add(scope.exportName, 'read', `reads of \`${scope.label}[${key}]\` as \`${value}\``, wrap(scope, [], [`__k: ${key}`], `const __v: ${value} = ${scope.access}[__k]; void __v;`), [], scope.label);
      add(scope.exportName, 'write', `writes to \`${scope.label}[${key}]\``, wrap(scope, [], [`__k: ${key}`, `__w: ${value}`], `${scope.access}[__k] = __w;`), [], scope.label);
    }
  };

  /** The old shape of an object type as a type literal, naming its member types as the old module does. */
  const shapeText = (type: ts.Type): string | null => {
    const parts: string[] = [];
    for (const member of checker.getPropertiesOfType(type)) {
      if (isHidden(member)) continue;
      const name = /^[A-Za-z_$][\w$]*$/.test(member.name) ? member.name : JSON.stringify(member.name);
      const optional = (member.flags & ts.SymbolFlags.Optional) !== 0 ? '?' : '';
      const readonly = member.declarations?.some((d) => (ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Readonly) !== 0) ? 'readonly ' : '';
      if (isMethod(member)) {
        for (const signature of checker.getTypeOfSymbol(member).getCallSignatures()) {
          const node = checker.signatureToSignatureDeclaration(signature, ts.SyntaxKind.MethodSignature, oldFile, NODE_FLAGS);
          if (!node) return null;
          parts.push(`${name}${optional}${print(node).replace(/^[^(<]*/, '').replace(/;$/, '')}`);
        }
      } else {
        parts.push(`${readonly}${name}${optional}: ${typeText(checker.getTypeOfSymbol(member))}`);
      }
    }
    for (const info of checker.getIndexInfosOfType(type)) parts.push(`${info.isReadonly ? 'readonly ' : ''}[__k: ${typeText(info.keyType)}]: ${typeText(info.type)}`);
    for (const [kind, prefix] of [[ts.SignatureKind.Call, ''], [ts.SignatureKind.Construct, 'new ']] as const) {
      for (const signature of checker.getSignaturesOfType(type, kind)) {
        const node = checker.signatureToSignatureDeclaration(signature, kind === ts.SignatureKind.Call ? ts.SyntaxKind.CallSignature : ts.SyntaxKind.ConstructSignature, oldFile, NODE_FLAGS);
        if (!node) return null;
        parts.push(`${prefix}${print(node).replace(/^new\s*/, '').replace(/;$/, '')}`);
      }
    }
    return `{ ${parts.join('; ')} }`;
  };

  /** `<T extends X = Y, U>` of a generic declaration, as declarations and as arguments. */
  const typeParametersOf = (symbol: ts.Symbol): { declarations: string[]; names: string[]; allDefaulted: boolean } => {
    const declared = checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType;
    const parameters = symbol.flags & ts.SymbolFlags.TypeAlias
      ? (symbol.declarations?.find(ts.isTypeAliasDeclaration)?.typeParameters?.map((p) => checker.getTypeAtLocation(p) as ts.TypeParameter) ?? [])
      : (declared.typeParameters ?? []);
    const declarations = parameters.map((parameter) => {
      const node = checker.typeParameterToDeclaration(parameter, oldFile, NODE_FLAGS);
      return node ? print(node) : parameter.symbol.name;
    });
    return { declarations, names: parameters.map((p) => p.symbol.name), allDefaulted: declarations.every((d) => d.includes('=')) };
  };

  /**
   * Concrete type arguments to compare a generic alias on: its defaults, else each parameter's constraint,
   * else a small object type; and, where a parameter has no constraint, a primitive too (conditional types
   * often branch on one).
   */
  const typeSamples = (alias: ts.TypeAliasDeclaration): string[][] => {
    const parameters = alias.typeParameters ?? [];
    const mentionsParameters = (node: ts.TypeNode) => parameters.some((p) => new RegExp(`\\b${p.name.text}\\b`).test(node.getText(oldFile)));
    const first = parameters.map((p) => (p.default && !mentionsParameters(p.default) ? p.default.getText(oldFile) : p.constraint && !mentionsParameters(p.constraint) ? p.constraint.getText(oldFile) : '{ a: string; b?: number }'));
    const second = parameters.map((p, i) => (p.constraint ? first[i] : 'string'));
    return first.join() === second.join() ? [first] : [first, second];
  };

  /** The default type arguments as the old declaration writes them. */
  const typeDefaults = (symbol: ts.Symbol): string[] | null => {
    const declaration = symbol.declarations?.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isClassDeclaration(d)) as ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration | undefined;
    const defaults = declaration?.typeParameters?.map((parameter) => parameter.default?.getText(declaration.getSourceFile()));
    return defaults && defaults.every((d): d is string => d !== undefined) ? defaults : null;
  };

  /** Probes for an exported type (interface, alias, class instance side, enum), reached as `typeName`. */
  const typeProbes = (exportName: string, label: string, typeName: string, symbol: ts.Symbol) => {
    const { declarations, names, allDefaulted } = typeParametersOf(symbol);
    const reference = names.length ? `${typeName}<${names.join(', ')}>` : typeName;
    const annotate = add(exportName, 'annotate', names.length ? `annotations \`${label}<${names.join(', ')}>\`` : `annotations \`${label}\``, `type __t${probes.length}${declarations.length ? `<${declarations.join(', ')}>` : ''} = ${reference};`);
    if (names.length && allDefaulted) {
      const bare = add(exportName, 'annotate', `annotations \`${label}\` without type arguments`, `type __t${probes.length} = ${typeName};`);
      // `Box` meant `Box<string>` before: it must still, both ways.
      const defaults = typeDefaults(symbol);
      if (defaults) {
        const explicit = `${typeName}<${defaults.join(', ')}>`;
        add(exportName, 'annotate', `\`${label}\` without type arguments used as \`${label}<${defaults.join(', ')}>\``, `function __p${probes.length}(__o: ${typeName}, __v: ${explicit}) { const __a: ${explicit} = __o; const __b: ${typeName} = __v; void __a; void __b; }`, [bare]);
      }
    }
    const scope: Scope = { typeParameters: declarations, parameters: [`__o: ${reference}`], access: '__o', label, exportName };
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    if (symbol.flags & ts.SymbolFlags.Enum) return;
    const requires = [annotate];
    const before = probes.length;
    memberProbes(scope, declared);
    for (const signature of declared.getCallSignatures().slice(0, MAX_SIGNATURES)) callProbes(scope, signature, false);
    if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      const alias = symbol.declarations?.find(ts.isTypeAliasDeclaration);
      const objectLike = !alias || ts.isTypeLiteralNode(alias.type) || ts.isMappedTypeNode(alias.type) || ts.isIntersectionTypeNode(alias.type) || (declared.flags & ts.TypeFlags.Object) !== 0;
      if (alias && alias.typeParameters?.length) {
        // Over unresolved type parameters the compiler can only tell that two conditional or mapped types are the
        // same when they are built the same way: compare the old right-hand side and the new alias on concrete types.
        const old = alias.type.getText(oldFile);
        const parameters = alias.typeParameters.map((p) => p.getText(oldFile)).join(', ');
        for (const sample of typeSamples(alias)) {
          const oldAlias = `__Old${probes.length}`;
          const instance = `${typeName}<${sample.join(', ')}>`;
          const oldInstance = `${oldAlias}<${sample.join(', ')}>`;
          add(exportName, 'implement', `values of the old \`${label}<${sample.join(', ')}>\` passed as \`${instance.replace(/^__dw\./, '')}\``, `type ${oldAlias}<${parameters}> = ${old}; function __p${probes.length}(__v: ${oldInstance}) { const __n: ${instance} = __v; void __n; }`, requires);
          add(exportName, 'read', `\`${label}<${sample.join(', ')}>\` values used as the old one`, `function __p${probes.length}(__o: ${instance}) { const __v: ${oldInstance} = __o; void __v; }`, [...requires, probes.length - 1]);
        }
      } else if (alias) {
        // Whatever the right-hand side became, values of the old one must still fit, and the new one's values must fit old code.
        const old = alias.type.getText(oldFile);
        add(exportName, 'implement', `values of the old \`${label}\` (\`${abbreviate(old)}\`) passed as \`${label}\``, wrap({ ...scope, parameters: [] }, [], [`__v: ${asInput(old)}`], `const __n: ${reference} = __v; void __n;`), requires);
        add(exportName, 'read', `\`${label}\` values used as \`${abbreviate(old)}\``, wrap(scope, [], [], `const __v: ${old} = __o; void __v;`), requires);
      }
      if (objectLike) {
        const shape = shapeText(declared);
        if (shape) add(exportName, 'implement', `objects typed \`${label}\``, wrap({ ...scope, parameters: [] }, [], [`__v: ${shape}`], `const __n: ${reference} = __v; void __n;`), requires);
      }
    }
    if (symbol.flags & ts.SymbolFlags.Class) {
      const heritage = `${declarations.length ? `<${declarations.join(', ')}>` : ''} extends ${reference}`;
      // A concrete subclass implements what was abstract before; a member made abstract since then is one it lacks.
      const implementations = declared.getProperties().flatMap((member) => {
        const declaration = member.valueDeclaration ?? member.declarations?.[0];
        if (!declaration || !(ts.getCombinedModifierFlags(declaration as ts.Declaration) & ts.ModifierFlags.Abstract)) return [];
        const visibility = ts.getCombinedModifierFlags(declaration as ts.Declaration) & ts.ModifierFlags.Protected ? 'protected ' : '';
        return isMethod(member) ? [`${visibility}${member.name}(...__a: any[]): any { return null!; }`] : [`${visibility}${member.name}: any = null!;`];
      });
      add(exportName, 'extend', `classes that extend \`${label}\``, `class __S${probes.length}${heritage} { ${implementations.join(' ')} }`, requires);
      for (const member of declared.getProperties()) {
        const declaration = member.valueDeclaration ?? member.declarations?.[0];
        if (!declaration || member.name.startsWith('__@') || member.name.startsWith('#') || probedElsewhere(member)) continue;
        const flags = ts.getCombinedModifierFlags(declaration as ts.Declaration);
        if (flags & ts.ModifierFlags.Private) continue;
        const type = checker.getTypeOfSymbol(member);
        const visibility = flags & ts.ModifierFlags.Protected ? 'protected ' : '';
        if (flags & ts.ModifierFlags.Protected) {
          const text = typeText(type);
          add(exportName, 'protected', `subclasses that use \`this.${member.name}\``, `abstract class __S${probes.length}${heritage} { __r() { const __v: ${text} = this.${member.name}; void __v; } }`, requires, `${label}.${member.name}`);
        }
        if (isMethod(member)) {
          const [signature] = type.getCallSignatures();
          const node = signature && checker.signatureToSignatureDeclaration(signature, ts.SyntaxKind.MethodDeclaration, oldFile, NODE_FLAGS);
          if (node) {
            const head = print(node).replace(/;$/, '').replace(/^[^(<]*/, '');
            add(exportName, 'override', `subclasses that override \`${label}.${member.name}\``, `abstract class __S${probes.length}${heritage} { ${visibility}${member.name}${head} { return null!; } }`, requires, `${label}.${member.name}`);
          }
        } else if (!(flags & ts.ModifierFlags.Static) && declaration && (ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration))) {
          // A subclass that redeclares a field: it breaks when the field becomes an accessor, or changes visibility.
          add(exportName, 'override', `subclasses that redeclare \`${label}.${member.name}\``, `abstract class __S${probes.length}${heritage} { ${visibility}${flags & ts.ModifierFlags.Readonly ? 'readonly ' : ''}${member.name}: ${typeText(type)} = null!; }`, requires, `${label}.${member.name}`);
        }
      }
    }
    for (let i = before; i < probes.length; i++) if (!probes[i].requires.includes(annotate)) probes[i].requires.push(annotate);
  };

  /** Probes for an exported value: reading it as its old type, calling it, `new`, its members (classes' statics, namespaces' members). */
  const valueProbes = (exportName: string, label: string, access: string, symbol: ts.Symbol, depth: number) => {
    const scope: Scope = { typeParameters: [], parameters: [], access, label, exportName };
    const type = checker.getTypeOfSymbol(symbol);
    if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable | ts.SymbolFlags.Property | ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) {
      const widened = symbol.flags & ts.SymbolFlags.Variable && (type.isLiteral() || type.flags & ts.TypeFlags.BooleanLiteral) ? checker.getBaseTypeOfLiteralType(type) : type;
      const text = typeText(widened);
      const callable = type.getCallSignatures().length > 0;
      if (!/^(any|unknown)$/.test(text) && !text.includes('typeof ')) add(exportName, 'read', `uses of \`${label}\` as \`${abbreviate(text)}\``, wrap(scope, [], [], `const __v: ${text} = ${access}; void __v;`), [], label, callable);
      for (const signature of type.getCallSignatures().slice(0, MAX_SIGNATURES)) callProbes(scope, signature, false);
      if (symbol.flags & ts.SymbolFlags.Variable && !type.getCallSignatures().length && type.flags & ts.TypeFlags.Object) memberProbes(scope, type);
    }
    if (symbol.flags & ts.SymbolFlags.Class) {
      const abstract = symbol.declarations?.some((d) => ts.isClassDeclaration(d) && (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Abstract) !== 0);
      if (!abstract) for (const signature of type.getConstructSignatures().slice(0, MAX_SIGNATURES)) callProbes(scope, signature, true);
      // Static members declared by this class (inherited ones are its base's: a Node EventEmitter's
      // statics name the class itself, and would be walked without end), one level deep.
      const own = new Set<ts.Node>(symbol.declarations ?? []);
      for (const member of depth < 2 ? type.getProperties().slice(0, MAX_MEMBERS) : []) {
        if (member.name === 'prototype' || isHidden(member) || probedElsewhere(member)) continue;
        if (!(member.declarations ?? []).some((d) => own.has(d.parent))) continue;
        valueProbes(exportName, `${label}.${member.name}`, `${access}${accessor(member.name)}`, member, depth + 1);
      }
    }
    if (symbol.flags & ts.SymbolFlags.RegularEnum) {
      // `Object.values(E)`, `E[name]`: a `const enum` has no object at run time.
      add(exportName, 'read', `uses of \`${label}\` as an object`, `const __eo${probes.length}: object = ${access}; void __eo${probes.length};`, [], label);
    }
    if (symbol.flags & ts.SymbolFlags.Enum) {
      for (const member of checker.getExportsOfModule(symbol)) {
        add(exportName, 'read', `uses of \`${label}.${member.name}\``, `const __e${probes.length}: ${access} = ${access}${accessor(member.name)}; void __e${probes.length};`, [], `${label}.${member.name}`);
      }
    }
    if (symbol.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule) && depth < 3) {
      namespaceMembers(exportName, label, access, symbol, depth);
    }
  };

  const namespaceMembers = (exportName: string, label: string, access: string, symbol: ts.Symbol, depth: number) => {
    for (const member of checker.getExportsOfModule(symbol).slice(0, MAX_NAMESPACE_MEMBERS)) {
      if (probes.length >= limit) {
        skipped.push(`${label}.${member.name}…`);
        break;
      }
      const resolved = member.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(member) : member;
      probeSymbol(exportName, `${label}.${member.name}`, `${access}${accessor(member.name)}`, resolved, depth + 1);
    }
  };

  const probeSymbol = (exportName: string, label: string, access: string, symbol: ts.Symbol, depth: number) => {
    if (symbol.flags & ts.SymbolFlags.Value) valueProbes(exportName, label, access, symbol, depth);
    else if (symbol.flags & ts.SymbolFlags.Namespace && depth < 3) namespaceMembers(exportName, label, access, symbol, depth);
    if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum)) typeProbes(exportName, label, access, symbol);
  };

  /** Exports left unprobed past MAX_PROBES. */
  const skipped: string[] = [];
  // One named import per export, so that a missing name is told apart from the others.
  const importProbes = new Map<string, number>();
  const boundByCopiedImports = new Set(importedNames(oldFile));
  for (const target of targets) {
    if (target.name === 'export=' || target.name === 'default' || exportEquals) continue;
    // `export { _null as null }`: a reserved word is imported under another name (it cannot be named in a type anyway).
    const binding = isReservedWord(target.name) ? `${target.name} as __dwName${probes.length}` : target.name;
    if (!boundByCopiedImports.has(target.name)) importProbes.set(target.name, add(target.name, 'import', `imports of \`${target.name}\``, `import { ${binding} } from '__SPECIFIER__';`));
  }
  for (const target of targets) {
    const access = target.name === 'export=' ? NAMESPACE : `${NAMESPACE}${accessor(target.name)}`;
    const first = probes.length;
    if (target.name === 'default' || target.name === 'export=' || boundByCopiedImports.has(target.name)) {
      add(target.name, 'import', target.name === 'default' ? 'imports of the default export' : `imports of \`${target.name}\``, `${access};`);
    }
    probing = target.symbol;
    const before = probes.length;
    if (probes.length >= limit && !target.existenceOnly) skipped.push(target.name);
    try {
      if (!target.existenceOnly && probes.length < limit) probeSymbol(target.name, target.name === 'export=' ? 'module' : target.name === 'default' ? 'default' : target.name, access, target.symbol, 0);
    } catch {
      // The checker can recurse without end printing some types (seen in @types/ws): that export is checked for existence only.
      probes.length = before;
    }
    const importProbe = importProbes.get(target.name);
    if (importProbe !== undefined) for (let i = first; i < probes.length; i++) probes[i].requires.push(importProbe);
  }

  // The old module's own imports and local types, so that the types its API is written in are named as it names them.
  const header = oldFile.statements
    .filter((statement) => ts.isImportDeclaration(statement) || (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference))
      || ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && !hasExport(statement)))
    .map((statement) => statement.getText(oldFile));

  return {
    probes,
    skipped,
    render(specifier) {
      let text = `${header.join('\n')}\n${exportEquals ? `import ${NAMESPACE} = require('${specifier}');` : `import * as ${NAMESPACE} from '${specifier}';`}\n`;
      const spans: RenderedProbes['spans'] = [];
      for (const probe of probes) {
        const code = probe.code.replace('__SPECIFIER__', specifier);
        spans.push({ start: text.length, end: text.length + code.length, probe: probe.id });
        text += `${code}\n`;
      }
      return { text, spans };
    },
  };
}

/** Whether a probe is written over type parameters: its own (`function __p3<T>`) or a generic signature's (`<T>() => T`). */
function isGeneric(code: string): boolean {
  return /^(function|type|class|abstract class) __[ptS]\d+</.test(code) || /<[A-Za-z_$][\w$]*(\s+extends\s[^>]*)?>\s*\(/.test(code);
}

function isReservedWord(name: string): boolean {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, name);
  const token = scanner.scan();
  return scanner.getTokenEnd() === name.length && token >= ts.SyntaxKind.FirstReservedWord && token <= ts.SyntaxKind.LastReservedWord;
}

function hasExport(statement: ts.Statement): boolean {
  return (ts.getCombinedModifierFlags(statement as unknown as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

/** Names the module's own import statements bind. */
function importedNames(file: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportEqualsDeclaration(statement)) names.push(statement.name.text);
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    if (clause.name) names.push(clause.name.text);
    if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names.push(clause.namedBindings.name.text);
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const element of clause.namedBindings.elements) names.push(element.name.text);
  }
  return names;
}

/**
 * A type that values flow into: old code could pass anything to an `any`, which
 * `unknown` stands for (an `any` argument would be accepted by whatever the new type is).
 */
function asInput(type: string): string {
  return type === 'any' ? 'unknown' : type;
}

/** A type text short enough for a message. */
export function abbreviate(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
