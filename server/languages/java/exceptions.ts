/**
 * Which exceptions a `throws` clause adds that callers must now catch or declare.
 * Java only checks checked exceptions; tree-sitter sees names, not the class
 * hierarchy, so the JDK's unchecked exceptions and the common subclass relations
 * of its checked ones are listed by simple name, and an exception declared in the
 * unit itself counts as unchecked when it extends an unchecked one.
 */
import { simpleTypeName } from './types';

const UNCHECKED = new Set([
  'RuntimeException', 'IllegalArgumentException', 'IllegalStateException', 'NullPointerException',
  'UnsupportedOperationException', 'IndexOutOfBoundsException', 'ArrayIndexOutOfBoundsException',
  'StringIndexOutOfBoundsException', 'ClassCastException', 'ArithmeticException', 'NumberFormatException',
  'ConcurrentModificationException', 'NoSuchElementException', 'UncheckedIOException', 'SecurityException',
  'DateTimeException', 'DateTimeParseException', 'ArrayStoreException', 'NegativeArraySizeException',
  'IllegalMonitorStateException', 'EmptyStackException', 'MissingResourceException', 'InputMismatchException',
  'IllegalFormatException', 'UnknownFormatConversionException', 'PatternSyntaxException', 'CompletionException',
  'CancellationException', 'RejectedExecutionException', 'BufferOverflowException', 'BufferUnderflowException',
  'ReadOnlyBufferException', 'WrongMethodTypeException', 'TypeNotPresentException', 'EnumConstantNotPresentException',
  'MalformedParametersException', 'UndeclaredThrowableException', 'LayerInstantiationException', 'InvalidPathException',
  'FileSystemNotFoundException', 'ProviderNotFoundException', 'ClosedWatchServiceException', 'DuplicateFormatFlagsException',
]);

/** Checked JDK exceptions and the checked exceptions they are subclasses of. */
const SUPERCLASSES: Record<string, string[]> = {
  FileNotFoundException: ['IOException'], EOFException: ['IOException'], UnsupportedEncodingException: ['IOException'],
  MalformedURLException: ['IOException'], UnknownHostException: ['IOException'], SocketException: ['IOException'],
  ConnectException: ['SocketException', 'IOException'], SocketTimeoutException: ['InterruptedIOException', 'IOException'],
  InterruptedIOException: ['IOException'], CharacterCodingException: ['IOException'], ZipException: ['IOException'],
  JarException: ['ZipException', 'IOException'], FileSystemException: ['IOException'],
  NoSuchFileException: ['FileSystemException', 'IOException'], AccessDeniedException: ['FileSystemException', 'IOException'],
  FileAlreadyExistsException: ['FileSystemException', 'IOException'], NotDirectoryException: ['FileSystemException', 'IOException'],
  DirectoryNotEmptyException: ['FileSystemException', 'IOException'], ClosedChannelException: ['IOException'],
  ObjectStreamException: ['IOException'], InvalidClassException: ['ObjectStreamException', 'IOException'],
  NotSerializableException: ['ObjectStreamException', 'IOException'], HttpTimeoutException: ['IOException'],
  ClassNotFoundException: ['ReflectiveOperationException'], NoSuchMethodException: ['ReflectiveOperationException'],
  NoSuchFieldException: ['ReflectiveOperationException'], IllegalAccessException: ['ReflectiveOperationException'],
  InstantiationException: ['ReflectiveOperationException'], InvocationTargetException: ['ReflectiveOperationException'],
  NoSuchAlgorithmException: ['GeneralSecurityException'], InvalidKeyException: ['KeyException', 'GeneralSecurityException'],
  KeyException: ['GeneralSecurityException'], SignatureException: ['GeneralSecurityException'],
  CertificateException: ['GeneralSecurityException'], InvalidKeySpecException: ['GeneralSecurityException'],
  SQLTimeoutException: ['SQLException'], SQLSyntaxErrorException: ['SQLException'], BatchUpdateException: ['SQLException'],
  SQLIntegrityConstraintViolationException: ['SQLException'], ParseException: [], TimeoutException: [],
  ExecutionException: [], InterruptedException: [], URISyntaxException: [], CloneNotSupportedException: [],
};

export function isUnchecked(name: string, localUnchecked: ReadonlySet<string>): boolean {
  const simple = simpleTypeName(name);
  return UNCHECKED.has(simple) || simple.endsWith('Error') || localUnchecked.has(simple);
}

/**
 * The checked exceptions of `after` that `before` did not already oblige callers
 * to handle (the same exception, or a superclass of it, or `Exception`/`Throwable`).
 */
export function addedCheckedExceptions(before: readonly string[], after: readonly string[], localUnchecked: ReadonlySet<string>): string[] {
  const old = new Set(before.map(simpleTypeName));
  if (old.has('Exception') || old.has('Throwable')) return [];
  return after.filter((name) => {
    const simple = simpleTypeName(name);
    if (old.has(simple) || isUnchecked(simple, localUnchecked)) return false;
    return !(SUPERCLASSES[simple] ?? []).some((superclass) => old.has(superclass));
  });
}

/** The exception classes a unit declares that extend an unchecked exception (`class Oops extends RuntimeException`), followed through the unit. */
export function uncheckedDeclaredIn(types: ReadonlyArray<{ name: string; bases?: string[] }>): Set<string> {
  const result = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const type of types) {
      if (result.has(type.name)) continue;
      if ((type.bases ?? []).some((b) => isUnchecked(b, result))) {
        result.add(type.name);
        grew = true;
      }
    }
  }
  return result;
}
