"""The reference Python import graph for bench/graphAccuracy.ts, by the standard
library's own parser: every `import` and `from ... import` of every .py file under
ROOT, resolved the way the interpreter would within ROOT (ROOT is on sys.path; a
relative import goes up from the importer's package; `from pkg import name` also
imports the submodule pkg.name when it is a file). Prints one edge a line:
importer TAB imported file TAB the statement's module, paths relative to ROOT."""
import ast
import os
import sys

ROOT = sys.argv[1]


def module_file(dotted_dir, dotted):
    """The file a dotted name names under a directory: m.py, or m/__init__.py."""
    base = os.path.join(dotted_dir, *[part for part in dotted.split('.') if part])
    candidates = [os.path.join(base, '__init__.py')] if base == dotted_dir else [base + '.py', os.path.join(base, '__init__.py')]
    for candidate in candidates:
        if os.path.isfile(os.path.join(ROOT, candidate)):
            return os.path.normpath(candidate).replace(os.sep, '/')
    return None


def package_dir(importer, level):
    directory = os.path.dirname(importer)
    for _ in range(level - 1):
        if directory == '':
            return None
        directory = os.path.dirname(directory)
    return directory


def edges_of(importer):
    with open(os.path.join(ROOT, importer), 'rb') as handle:
        tree = ast.parse(handle.read(), importer)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield module_file('', alias.name), alias.name
        elif isinstance(node, ast.ImportFrom):
            base = '' if node.level == 0 else package_dir(importer, node.level)
            if base is None:
                continue
            module = node.module or ''
            spelled = '.' * node.level + module
            yield module_file(base, module), spelled
            for alias in node.names:
                if alias.name != '*':
                    yield module_file(base, (module + '.' if module else '') + alias.name), spelled


def main():
    for directory, folders, files in os.walk(ROOT):
        folders[:] = sorted(f for f in folders if f not in ('.git', '__pycache__'))
        for name in sorted(files):
            if not name.endswith('.py'):
                continue
            importer = os.path.relpath(os.path.join(directory, name), ROOT).replace(os.sep, '/')
            for target, spelled in edges_of(importer):
                if target is not None and target != importer:
                    print(f'{importer}\t{target}\t{spelled}')


main()
