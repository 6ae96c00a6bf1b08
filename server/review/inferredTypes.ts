/**
 * Types that declarations leave to inference (a function without a return type
 * annotation, a const without a type), asked of the type checker on demand. The
 * checker is far too slow for the index (see the measurements), so it runs
 * only here, for one module at a time, and only when a review compares a
 * declaration whose inferred type may have changed.
 */
import { Project, ts } from 'ts-morph';

/** A small lib: enough for Promise, Map, Set and arrays to print by name, at a fraction of the full lib's cost. */
const LIBS = ['lib.es5.d.ts', 'lib.es2015.promise.d.ts', 'lib.es2015.collection.d.ts', 'lib.es2015.iterable.d.ts'];

let project: Project | undefined;
let counter = 0;

export interface InferredTypes {
  /** Return type of each signature of an exported function, by exported name. */
  returnTypes: Map<string, string[]>;
  /** Type of an exported variable, by exported name. */
  variableTypes: Map<string, string>;
}

/**
 * Infers the return types of `functionNames` and the types of `variableNames`
 * exported from a module with this text. Imports are not followed: a type that
 * comes from another module prints as `any`, which callers treat as unknown.
 */
export function inferTypes(path: string, text: string, functionNames: readonly string[], variableNames: readonly string[]): InferredTypes {
  project ??= new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, allowJs: true, noResolve: true, lib: LIBS, skipLibCheck: true },
  });
  const extension = /\.[cm]?[jt]sx?$/.exec(path)?.[0] ?? '.ts';
  const sourceFile = project.createSourceFile(`/diffwise-infer-${counter++}${extension}`, text, { overwrite: true });
  const result: InferredTypes = { returnTypes: new Map(), variableTypes: new Map() };
  try {
    const exported = sourceFile.getExportedDeclarations();
    const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;
    for (const name of functionNames) {
      for (const declaration of exported.get(name) ?? []) {
        const signatures = declaration.getType().getCallSignatures();
        if (signatures.length) result.returnTypes.set(name, signatures.map((signature) => signature.getReturnType().getText(declaration, flags)));
      }
    }
    for (const name of variableNames) {
      const [declaration] = exported.get(name) ?? [];
      if (!declaration) continue;
      // `const limit = 10` has the type `10`; changing the value to 20 breaks nobody, so compare `number`.
      const type = declaration.getType();
      const widened = type.isLiteral() || type.isBooleanLiteral() ? type.getBaseTypeOfLiteralType() : type;
      result.variableTypes.set(name, widened.getText(declaration, flags));
    }
  } finally {
    project.removeSourceFile(sourceFile);
  }
  return result;
}
