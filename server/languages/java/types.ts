/**
 * Java types as text: as written (for messages and signatures), and normalised
 * for comparison, so that writing `java.util.List` instead of importing `List`,
 * moving an annotation or renaming a type parameter is not a change of type.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { collapseWhitespace } from '../model';

const ANNOTATION = /@[\w.]+(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*/g;

/** A type node's text, annotations dropped and whitespace collapsed; `dimensions` (C-style `int a[]`) appended. */
export function typeText(type: Node | null | undefined, dimensions?: Node | null): string | null {
  if (!type) return null;
  return collapseWhitespace(`${type.text}${dimensions?.text ?? ''}`.replace(ANNOTATION, ''));
}

/**
 * A type for comparison: package qualifiers dropped (`java.util.List<String>` is
 * `List<String>`), type parameters replaced by their position (`T` of the owner
 * is `%0`, whatever it is called), spaces gone.
 */
export function normalizeType(text: string | null, typeParams: ReadonlyMap<string, string>): string {
  if (text === null) return '';
  let result = text.replace(ANNOTATION, '').replace(/\s+/g, '');
  // A lower-case segment followed by a dot is a package name (`java.util.`); `Map.Entry` is kept.
  result = result.replace(/\b[a-z_$][\w$]*\.(?=[\w$])/g, '');
  if (typeParams.size > 0) result = result.replace(/\b[\w$]+\b/g, (word) => typeParams.get(word) ?? word);
  return result;
}

/** The simple name of a type, without package, type arguments or array brackets: `java.util.List<String>[]` is `List`. */
export function simpleTypeName(text: string): string {
  const head = text.replace(/<.*$/s, '').replace(/\[\]|\.\.\./g, '').trim();
  const dot = head.lastIndexOf('.');
  return dot < 0 ? head : head.slice(dot + 1);
}

const PRIMITIVE_WIDENING: Record<string, string[]> = {
  byte: ['short', 'int', 'long', 'float', 'double'],
  short: ['int', 'long', 'float', 'double'],
  char: ['int', 'long', 'float', 'double'],
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
};

const BOXES: Record<string, string> = {
  boolean: 'Boolean', byte: 'Byte', short: 'Short', char: 'Character', int: 'Integer', long: 'Long', float: 'Float', double: 'Double',
};

/** The well-known supertypes of common JDK types, by simple name (erased). */
const SUPERTYPES: Record<string, string[]> = {
  String: ['CharSequence', 'Comparable', 'Serializable'],
  StringBuilder: ['CharSequence', 'Appendable'],
  StringBuffer: ['CharSequence', 'Appendable'],
  Integer: ['Number', 'Comparable', 'Serializable'],
  Long: ['Number', 'Comparable', 'Serializable'],
  Short: ['Number', 'Comparable', 'Serializable'],
  Byte: ['Number', 'Comparable', 'Serializable'],
  Double: ['Number', 'Comparable', 'Serializable'],
  Float: ['Number', 'Comparable', 'Serializable'],
  BigInteger: ['Number', 'Comparable'],
  BigDecimal: ['Number', 'Comparable'],
  ArrayList: ['List', 'Collection', 'Iterable', 'AbstractList', 'RandomAccess'],
  LinkedList: ['List', 'Deque', 'Queue', 'Collection', 'Iterable'],
  List: ['Collection', 'Iterable', 'SequencedCollection'],
  Set: ['Collection', 'Iterable'],
  SortedSet: ['Set', 'Collection', 'Iterable'],
  NavigableSet: ['SortedSet', 'Set', 'Collection', 'Iterable'],
  HashSet: ['Set', 'Collection', 'Iterable'],
  LinkedHashSet: ['Set', 'HashSet', 'Collection', 'Iterable'],
  TreeSet: ['NavigableSet', 'SortedSet', 'Set', 'Collection', 'Iterable'],
  Queue: ['Collection', 'Iterable'],
  Deque: ['Queue', 'Collection', 'Iterable'],
  ArrayDeque: ['Deque', 'Queue', 'Collection', 'Iterable'],
  Collection: ['Iterable'],
  HashMap: ['Map', 'AbstractMap'],
  LinkedHashMap: ['Map', 'HashMap'],
  TreeMap: ['Map', 'SortedMap', 'NavigableMap'],
  SortedMap: ['Map'],
  NavigableMap: ['SortedMap', 'Map'],
  ConcurrentHashMap: ['Map', 'ConcurrentMap'],
  ConcurrentMap: ['Map'],
  FileInputStream: ['InputStream', 'Closeable', 'AutoCloseable'],
  ByteArrayInputStream: ['InputStream', 'Closeable', 'AutoCloseable'],
  BufferedInputStream: ['InputStream', 'FilterInputStream', 'Closeable', 'AutoCloseable'],
  InputStream: ['Closeable', 'AutoCloseable'],
  FileOutputStream: ['OutputStream', 'Closeable', 'AutoCloseable'],
  ByteArrayOutputStream: ['OutputStream', 'Closeable', 'AutoCloseable'],
  OutputStream: ['Closeable', 'AutoCloseable'],
  BufferedReader: ['Reader', 'Closeable', 'AutoCloseable'],
  StringReader: ['Reader', 'Closeable', 'AutoCloseable'],
  Reader: ['Closeable', 'AutoCloseable', 'Readable'],
  Writer: ['Closeable', 'AutoCloseable', 'Appendable'],
  StringWriter: ['Writer', 'Closeable', 'AutoCloseable', 'Appendable'],
  Closeable: ['AutoCloseable'],
};

function erase(type: string): { base: string; args: string; array: string } {
  const match = /^([^<[.]+(?:\.[^<[.]+)*)(<.*>)?((?:\[\]|\.\.\.)*)$/.exec(type);
  if (!match) return { base: type, args: '', array: '' };
  return { base: match[1], args: match[2] ?? '', array: match[3] };
}

/**
 * Whether an argument of normalised type `from` is accepted where `to` is declared,
 * as far as names show: the same type, a primitive widening (`int` -> `long`),
 * boxing or unboxing, any reference type to `Object`, and a known JDK subtype to
 * its supertype with the same type arguments (`ArrayList<X>` -> `List<X>`).
 */
export function isAssignable(from: string, to: string): boolean {
  if (from === to) return true;
  if (PRIMITIVE_WIDENING[from]?.includes(to)) return true;
  if (BOXES[from] === to || BOXES[to] === from) return true;
  // Boxing, then widening the box: `int` is accepted as an `Object` or a `Number`.
  if (BOXES[from]) return to === 'Object' || to === 'Serializable' || to === 'Comparable' || (to === 'Number' && from !== 'boolean' && from !== 'char');
  if (to === 'Object') return true;
  const a = erase(from);
  const b = erase(to);
  if (a.array !== b.array) return false;
  // A raw type accepts every parameterisation of itself.
  if (a.base === b.base) return b.args === '';
  const supers = SUPERTYPES[a.base];
  if (!supers || !supers.includes(b.base)) return false;
  return b.args === '' || a.args === b.args;
}

/** Whether `narrower` is `wider` or a known subtype of it (for return types: a caller reading `wider` still compiles). */
export function isSubtype(narrower: string, wider: string): boolean {
  if (narrower === wider) return true;
  if (BOXES[narrower] || narrower in PRIMITIVE_WIDENING || narrower === 'boolean' || narrower === 'double') return false;
  return isAssignable(narrower, wider);
}
