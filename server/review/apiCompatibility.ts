/**
 * Whether code written against the old version of an exported declaration still
 * compiles against the new one. Each check returns the reason it breaks, or null.
 * Compatible evolutions are deliberately allowed: optional or defaulted
 * parameters, wider parameter types, narrower return types, optional members.
 */
import type { ApiEntry, ApiMember, ApiSignature } from './apiSurface';

/** Top-level members of a union type text (`A|B<C|D>` → `A`, `B<C|D>`). */
function unionMembers(type: string): Set<string> {
  const members: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const char = type[i];
    if ('<([{'.includes(char)) depth++;
    else if ('>)]}'.includes(char) && type[i - 1] !== '=') depth--;
    else if (char === '|' && depth === 0) {
      members.push(type.slice(start, i));
      start = i + 1;
    }
  }
  members.push(type.slice(start));
  return new Set(members.map((member) => member.trim()).filter(Boolean));
}

function isSubset(small: Set<string>, large: Set<string>): boolean {
  for (const member of small) if (!large.has(member)) return false;
  return true;
}

/** A parameter can take a wider type without breaking callers. */
export function parameterTypeCompatible(oldType: string, newType: string): boolean {
  if (oldType === newType || newType === 'any' || newType === 'unknown') return true;
  return isSubset(unionMembers(oldType), unionMembers(newType));
}

/** A return type can get narrower without breaking callers. */
export function returnTypeCompatible(oldType: string, newType: string): boolean {
  if (oldType === newType || oldType === 'any' || oldType === 'unknown' || oldType === 'void') return true;
  return isSubset(unionMembers(newType), unionMembers(oldType));
}

/** Why a call written for `before` fails against `after`, or null when every such call still compiles. */
export function signatureBreak(before: ApiSignature, after: ApiSignature): string | null {
  const afterRest = after.parameters.find((parameter) => parameter.rest);
  const length = Math.max(before.parameters.length, after.parameters.length);
  for (let i = 0; i < length; i++) {
    const oldParameter = before.parameters[i];
    const newParameter = after.parameters[i];
    if (!newParameter) {
      if (afterRest) break;
      if (oldParameter.rest) return `its rest parameter \`...${oldParameter.name}\` was removed`;
      return `parameter \`${oldParameter.name}\` was removed`;
    }
    if (!oldParameter) {
      if (!newParameter.optional && !newParameter.rest) return `a required parameter \`${newParameter.name}\` was added`;
      continue;
    }
    if (oldParameter.rest) {
      if (!newParameter.rest) return `its rest parameter \`...${oldParameter.name}\` was replaced by \`${newParameter.name}\``;
    } else if (oldParameter.optional && !newParameter.optional && !newParameter.rest) {
      return `parameter \`${newParameter.name}\` is now required`;
    }
    if (oldParameter.type && newParameter.type && !parameterTypeCompatible(oldParameter.type, newParameter.type)) {
      return `parameter \`${newParameter.name}\` changed type from \`${oldParameter.type}\` to \`${newParameter.type}\``;
    }
  }
  if (before.returnType && after.returnType && !returnTypeCompatible(before.returnType, after.returnType)) {
    return `its return type changed from \`${before.returnType}\` to \`${after.returnType}\``;
  }
  return null;
}

/** Every old overload must still be callable through some new one. */
export function overloadsBreak(before: readonly ApiSignature[], after: readonly ApiSignature[]): string | null {
  if (!before.length) return null;
  if (!after.length) return 'it is no longer callable';
  for (const oldSignature of before) {
    const reasons = after.map((newSignature) => signatureBreak(oldSignature, newSignature));
    if (reasons.every((reason) => reason !== null)) return reasons[Math.min(before.indexOf(oldSignature), reasons.length - 1)];
  }
  return null;
}

/**
 * Members of a class, interface or object type: removing one, adding a required
 * one (for interfaces and type literals, which callers implement or build), or
 * changing one's type breaks.
 */
export function membersBreak(entry: ApiEntry, before: Map<string, ApiMember>, after: Map<string, ApiMember>): string | null {
  for (const [key, oldMember] of before) {
    const newMember = after.get(key);
    if (!newMember) return `member \`${oldMember.name}\` was removed`;
    if (oldMember.optional && !newMember.optional && entry.kind !== 'class') return `member \`${oldMember.name}\` is now required`;
    if (oldMember.kind !== newMember.kind) return `member \`${oldMember.name}\` changed from a ${oldMember.kind} to a ${newMember.kind}`;
    if (oldMember.type && newMember.type && oldMember.type !== newMember.type) {
      return `member \`${oldMember.name}\` changed type from \`${oldMember.type}\` to \`${newMember.type}\``;
    }
    const reason = overloadsBreak(oldMember.signatures, newMember.signatures);
    if (reason) return `method \`${oldMember.name}\`: ${reason}`;
  }
  if (entry.kind === 'interface' || entry.kind === 'type') {
    for (const [key, newMember] of after) {
      if (!before.has(key) && !newMember.optional) return `a required member \`${newMember.name}\` was added (objects and implementations of it no longer type-check)`;
    }
  }
  return null;
}
