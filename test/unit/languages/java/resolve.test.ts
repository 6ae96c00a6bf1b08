import * as assert from 'node:assert/strict';
import { javaAdapter } from '../../../../server/languages/java/adapter';
import type { ProjectView } from '../../../../server/languages/model';

function project(files: Record<string, string>): ProjectView {
  return { paths: new Set(Object.keys(files)), readText: (path) => files[path] ?? null };
}

describe('java resolution', () => {
  const files = {
    'pom.xml': '<project><modules><module>core</module><module>app</module></modules></project>',
    'core/pom.xml': '<project></project>',
    'core/src/main/java/com/acme/core/Engine.java': 'package com.acme.core;\npublic class Engine {}',
    'core/src/main/java/com/acme/core/Part.java': 'package com.acme.core;\npublic class Part {}',
    'core/src/test/java/com/acme/core/EngineTest.java': 'package com.acme.core;\nclass EngineTest {}',
    'app/pom.xml': '<project><build><sourceDirectory>src/java</sourceDirectory></build></project>',
    'app/src/java/com/acme/app/Main.java': 'package com.acme.app;\nimport com.acme.core.Engine;\nclass Main {}',
    'settings.gradle': "include ':tools', 'lib:util'",
    'lib/util/src/main/java/org/util/Strings.java': 'package org.util;\npublic class Strings {}',
    'scripts/gen/org/x/Tool.java': '/* header */\npackage org.x;\npublic class Tool {}',
    'Default.java': 'class Default {}',
    'README.md': '',
  };
  const resolver = javaAdapter.createResolver(project(files));
  const from = 'app/src/java/com/acme/app/Main.java';

  it('a class under the source roots of Maven modules, a <sourceDirectory>, Gradle includes and inferred roots', () => {
    assert.equal(resolver.resolve(from, 'com.acme.core.Engine'), 'core/src/main/java/com/acme/core/Engine.java');
    assert.equal(resolver.resolve(from, 'com.acme.core.EngineTest'), 'core/src/test/java/com/acme/core/EngineTest.java');
    assert.equal(resolver.resolve('x.java', 'com.acme.app.Main'), 'app/src/java/com/acme/app/Main.java');
    assert.equal(resolver.resolve(from, 'org.util.Strings'), 'lib/util/src/main/java/org/util/Strings.java');
    assert.equal(resolver.resolve(from, 'org.x.Tool'), 'scripts/gen/org/x/Tool.java');
  });

  it('a nested class and a static import to the outer class file, a wildcard to the package directory', () => {
    assert.equal(resolver.resolve(from, 'com.acme.core.Engine.Gear'), 'core/src/main/java/com/acme/core/Engine.java');
    assert.equal(resolver.resolve(from, 'static com.acme.core.Engine.start'), 'core/src/main/java/com/acme/core/Engine.java');
    assert.equal(resolver.resolve(from, 'com.acme.core.*'), 'core/src/main/java/com/acme/core');
    assert.equal(resolver.resolve(from, 'com.acme.core.Engine.*'), 'core/src/main/java/com/acme/core/Engine.java');
  });

  it('null for the JDK and dependencies', () => {
    assert.equal(resolver.resolve(from, 'java.util.List'), null);
    assert.equal(resolver.resolve(from, 'java.util.*'), null);
    assert.equal(resolver.resolve(from, 'org.junit.Assert'), null);
  });

  it('build files are resolution inputs; units are files; a package is its directory', () => {
    for (const path of ['pom.xml', 'a/build.gradle', 'build.gradle.kts', 'settings.gradle', 'b/settings.gradle.kts']) assert.ok(javaAdapter.isResolutionInput(path), path);
    assert.ok(!javaAdapter.isResolutionInput('src/main/java/A.java'));
    const engine = 'core/src/main/java/com/acme/core/Engine.java';
    assert.equal(javaAdapter.unitOf(engine), engine);
    assert.deepEqual(javaAdapter.filesOfUnit(engine, new Set(Object.keys(files))), [engine]);
    assert.deepEqual(javaAdapter.importTargetsOf(engine), [engine, 'core/src/main/java/com/acme/core']);
    // The same package's other files, in the main and the test roots.
    assert.deepEqual(javaAdapter.implicitDependentsOf!(engine, new Set(Object.keys(files))), [
      'core/src/main/java/com/acme/core/Part.java',
      'core/src/test/java/com/acme/core/EngineTest.java',
    ]);
  });
});
