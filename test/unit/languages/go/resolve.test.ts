import * as assert from 'node:assert/strict';
import { goAdapter } from '../../../../server/languages/go/adapter';
import type { ProjectView } from '../../../../server/languages/model';

function project(files: Record<string, string>): ProjectView {
  return { paths: new Set(Object.keys(files)), readText: (path) => files[path] ?? null };
}

describe('Go import resolution', () => {
  it('resolves workspace module paths to package directories, and nothing else', () => {
    const resolver = goAdapter.createResolver(project({
      'go.mod': 'module example.com/m\n\ngo 1.21\n\nrequire github.com/x/y v1.0.0\n',
      'main.go': '',
      'pkg/foo/foo.go': '',
      'pkg/foo/foo_test.go': '',
      'pkg/empty/README.md': '',
      'tools/go.mod': 'module "example.com/m/tools" // nested module\n',
      'tools/gen/gen.go': '',
    }));
    assert.equal(resolver.resolve('main.go', 'example.com/m/pkg/foo'), 'pkg/foo');
    assert.equal(resolver.resolve('pkg/foo/foo_test.go', 'example.com/m'), '.');
    assert.equal(resolver.resolve('main.go', 'example.com/m/tools/gen'), 'tools/gen');
    assert.equal(resolver.resolve('main.go', 'example.com/m/pkg/empty'), null);
    assert.equal(resolver.resolve('main.go', 'example.com/m/pkg/missing'), null);
    assert.equal(resolver.resolve('main.go', 'example.com/mx/pkg/foo'), null);
    assert.equal(resolver.resolve('main.go', 'fmt'), null);
    assert.equal(resolver.resolve('main.go', 'github.com/x/y'), null);
  });

  it("Go's own tree (`module std`): bare import paths are its packages", () => {
    const resolver = goAdapter.createResolver(project({
      'src/go.mod': 'module std\n\ngo 1.19\n',
      'src/strings/strings.go': '',
      'src/net/http/server.go': '',
      'src/fmt/print.go': '',
    }));
    assert.equal(resolver.resolve('src/fmt/print.go', 'strings'), 'src/strings');
    assert.equal(resolver.resolve('src/fmt/print.go', 'net/http'), 'src/net/http');
    assert.equal(resolver.resolve('src/fmt/print.go', 'unicode'), null);
    assert.equal(resolver.resolve('src/fmt/print.go', 'golang.org/x/net/http2'), null);
  });

  it('follows go.work use directives to modules elsewhere in the repository', () => {
    const resolver = goAdapter.createResolver(project({
      'go.work': 'go 1.21\n\nuse (\n\t./svc/api // the API\n\t"./libs/core"\n)\nuse ./cmd\n',
      'svc/api/go.mod': 'module example.com/api\n',
      'svc/api/server/server.go': '',
      'libs/core/go.mod': 'module example.com/core\n',
      'libs/core/core.go': '',
      'cmd/go.mod': 'module example.com/cmd\n',
      'cmd/main.go': '',
    }));
    assert.equal(resolver.resolve('cmd/main.go', 'example.com/api/server'), 'svc/api/server');
    assert.equal(resolver.resolve('cmd/main.go', 'example.com/core'), 'libs/core');
    assert.equal(resolver.resolve('svc/api/server/server.go', 'example.com/cmd'), 'cmd');
  });

  it('go.mod and go.work are resolution inputs', () => {
    assert.equal(goAdapter.isResolutionInput('go.mod'), true);
    assert.equal(goAdapter.isResolutionInput('svc/go.work'), true);
    assert.equal(goAdapter.isResolutionInput('go.sum'), false);
    assert.equal(goAdapter.isResolutionInput('notgo.mod'), false);
  });
});

describe('Go packages', () => {
  const paths = new Set(['main.go', 'doc.go', 'pkg/a.go', 'pkg/b.go', 'pkg/a_test.go', 'pkg/sub/c.go', 'pkg/README.md']);

  it('a package is its directory: non-test .go files directly in it', () => {
    assert.equal(goAdapter.unitOf('pkg/a.go'), 'pkg');
    assert.equal(goAdapter.unitOf('main.go'), '.');
    assert.deepEqual(goAdapter.filesOfUnit('pkg', paths), ['pkg/a.go', 'pkg/b.go']);
    assert.deepEqual(goAdapter.filesOfUnit('.', paths), ['doc.go', 'main.go']);
    assert.deepEqual(goAdapter.importTargetsOf('pkg/b.go'), ['pkg']);
  });

  it('the other files of the package, tests included, are implicit dependents', () => {
    assert.deepEqual(goAdapter.implicitDependentsOf?.('pkg/a.go', paths), ['pkg/a_test.go', 'pkg/b.go']);
  });
});
