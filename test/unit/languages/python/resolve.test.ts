import * as assert from 'node:assert/strict';
import { pythonAdapter } from '../../../../server/languages/python/adapter';
import type { ProjectView } from '../../../../server/languages/model';

function project(files: Record<string, string>): ProjectView {
  return { paths: new Set(Object.keys(files)), readText: (p) => files[p] ?? null };
}

describe('python resolver', () => {
  it('resolves absolute imports from the repository root to modules and packages, .pyi included', () => {
    const resolver = pythonAdapter.createResolver(project({ 'app/__init__.py': '', 'app/core.py': '', 'app/sub/__init__.py': '', 'stubs/t.pyi': '', 'main.py': '' }));
    assert.equal(resolver.resolve('main.py', 'app.core'), 'app/core.py');
    assert.equal(resolver.resolve('main.py', 'app.sub'), 'app/sub/__init__.py');
    assert.equal(resolver.resolve('main.py', 'app'), 'app/__init__.py');
    assert.equal(resolver.resolve('main.py', 'stubs.t'), 'stubs/t.pyi');
    assert.equal(resolver.resolve('main.py', 'os.path'), null);
    assert.equal(resolver.resolve('main.py', 'requests'), null);
  });

  it('resolves relative imports from the importer’s package', () => {
    const resolver = pythonAdapter.createResolver(project({ 'p/__init__.py': '', 'p/a.py': '', 'p/q/__init__.py': '', 'p/q/b.py': '' }));
    assert.equal(resolver.resolve('p/q/b.py', '.'), 'p/q/__init__.py');
    assert.equal(resolver.resolve('p/q/b.py', '..a'), 'p/a.py');
    assert.equal(resolver.resolve('p/q/b.py', '..'), 'p/__init__.py');
    assert.equal(resolver.resolve('p/a.py', '.q.b'), 'p/q/b.py');
    assert.equal(resolver.resolve('p/a.py', '....x'), null);
  });

  it('from pkg import name: the submodule row resolves when the file exists, else nothing (the package row resolves to __init__)', () => {
    const resolver = pythonAdapter.createResolver(project({ 'pkg/__init__.py': '', 'pkg/utils.py': '' }));
    assert.equal(resolver.resolve('t.py', 'pkg.utils'), 'pkg/utils.py');
    assert.equal(resolver.resolve('t.py', 'pkg.helper'), null);
    assert.equal(resolver.resolve('t.py', 'pkg'), 'pkg/__init__.py');
  });

  it('finds package roots from a src/ layout and from the build files', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'src/lib/__init__.py': '' }, 'src/lib/__init__.py'],
      [{ 'pyproject.toml': '[tool.setuptools]\npackage-dir = {"" = "code"}\n', 'code/lib/__init__.py': '' }, 'code/lib/__init__.py'],
      [{ 'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["lib_src"]\n', 'lib_src/lib/__init__.py': '' }, 'lib_src/lib/__init__.py'],
      [{ 'pyproject.toml': '[tool.poetry]\nname = "x"\npackages = [\n  { include = "lib", from = "source" },\n]\n', 'source/lib/__init__.py': '' }, 'source/lib/__init__.py'],
      [{ 'pyproject.toml': '[tool.hatch.build.targets.wheel]\npackages = ["python/lib"]\n', 'python/lib/__init__.py': '' }, 'python/lib/__init__.py'],
      [{ 'setup.cfg': '[options]\npackage_dir =\n    =pysrc\npackages = find:\n\n[options.packages.find]\nwhere = pysrc\n', 'pysrc/lib/__init__.py': '' }, 'pysrc/lib/__init__.py'],
      [{ 'setup.py': 'setup(name="x", package_dir={"": "py"}, packages=find_packages("py"))\n', 'py/lib/__init__.py': '' }, 'py/lib/__init__.py'],
      [{ 'services/api/pyproject.toml': '[project]\nname = "api"\n', 'services/api/lib/__init__.py': '' }, 'services/api/lib/__init__.py'],
      [{ 'services/api/pyproject.toml': '[project]\nname = "api"\n', 'services/api/src/lib/__init__.py': '' }, 'services/api/src/lib/__init__.py'],
    ];
    for (const [files, expected] of cases) {
      assert.equal(pythonAdapter.createResolver(project(files)).resolve('tests/test_x.py', 'lib'), expected, JSON.stringify(files));
    }
  });

  it('says which files change resolution', () => {
    assert.equal(pythonAdapter.isResolutionInput('pyproject.toml'), true);
    assert.equal(pythonAdapter.isResolutionInput('sub/setup.cfg'), true);
    assert.equal(pythonAdapter.isResolutionInput('setup.py'), true);
    assert.equal(pythonAdapter.isResolutionInput('requirements.txt'), false);
  });
});
