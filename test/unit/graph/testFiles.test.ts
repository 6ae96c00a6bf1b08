import * as assert from 'node:assert/strict';
import { graphLanguageOf, isTestFile } from '../../../server/graph/testFiles';

describe('test files by language', () => {
  const cases: Array<[string, boolean]> = [
    ['src/cart.test.ts', true], ['src/cart.spec.tsx', true], ['src/__tests__/cart.ts', true], ['test/cart.ts', true],
    ['packages/a/tests/cart.mjs', true], ['test/helpers/repo.ts', false], ['test/fixtures/app.js', false], ['src/__tests__/__fixtures__/a.ts', false], ['test/unit/nested.ts', false], ['test/types.d.ts', false], ['src/cart.ts', false], ['src/testing.ts', false], ['src/contest/a.js', false],
    ['shop/test_pricing.py', true], ['shop/pricing_test.py', true], ['tests/conftest.py', false], ['tests/helpers.py', false], ['shop/pricing.py', false], ['shop/testing.py', false],
    ['pkg/price_test.go', true], ['pkg/price.go', false], ['pkg/test/price.go', false],
    ['src/test/java/shop/Helper.java', false], ['src/test/java/shop/TestPricing.java', true], ['src/test/java/shop/PricingTestCase.java', true], ['src/main/java/shop/PriceTest.java', true], ['src/main/java/shop/PriceTests.java', true],
    ['src/main/java/shop/PriceIT.java', true], ['src/main/java/shop/Price.java', false], ['src/main/java/shop/Contest.java', false], ['src/main/java/shop/Testament.java', false], ['src/main/java/shop/Latest.java', false],
    ['README.md', false], ['test/fixture.json', false],
  ];
  for (const [path, expected] of cases) it(`${path}: ${expected ? 'a test' : 'not a test'}`, () => assert.equal(isTestFile(path), expected));

  it('names the graph languages', () => {
    assert.deepEqual(['a.ts', 'a.jsx', 'a.py', 'a.go', 'A.java', 'a.rs'].map(graphLanguageOf), ['typescript', 'javascript', 'python', 'go', 'java', null]);
  });
});
