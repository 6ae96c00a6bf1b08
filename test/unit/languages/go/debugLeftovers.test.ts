import * as assert from 'node:assert/strict';
import { goAdapter } from '../../../../server/languages/go/adapter';
import { freeTrees, lines, parseGo } from './helpers';

describe('Go debug leftovers', () => {
  afterEach(freeTrees);

  it('fmt.Print*, print, println and spew outside main packages, removable when alone on their lines', async () => {
    const file = await parseGo('pkg/a.go', lines(
      'package pkg',
      '',
      'import (',
      '\t"fmt"',
      '\t"log"',
      '\t"github.com/davecgh/go-spew/spew"',
      ')',
      '',
      'func f(x int) string {',
      '\tfmt.Println("x is", x)',
      '\tfmt.Printf("%d\\n",',
      '\t\tx)',
      '\tif x > 0 { print(x) }',
      '\tprintln(x); x++',
      '\tspew.Dump(x) // why',
      '\tlog.Printf("%d", x)',
      '\tfmt.Fprintln(nil, x)',
      '\treturn fmt.Sprint(x)',
      '}',
    ));
    assert.deepEqual(goAdapter.debugLeftovers(file).map((d) => [d.kind, d.startLine, d.endLine, d.removable]), [
      ['fmt.Println', 10, 10, true],
      ['fmt.Printf', 11, 12, true],
      ['print', 13, 13, false],
      ['println', 14, 14, false],
      ['spew.Dump', 15, 15, true],
    ]);
  });

  it('prints are a main package\'s output and a test\'s business; spew is reported everywhere', async () => {
    const main = await parseGo('cmd/tool/main.go', lines('package main', 'import "fmt"', 'import "github.com/davecgh/go-spew/spew"', 'func main() {', '\tfmt.Println("hi")', '\tspew.Dump(1)', '}'));
    assert.deepEqual(goAdapter.debugLeftovers(main).map((d) => d.kind), ['spew.Dump']);
    const test = await parseGo('pkg/a_test.go', lines('package pkg', 'import "fmt"', 'func TestA() {', '\tfmt.Println("hi")', '\tprintln(1)', '}'));
    assert.deepEqual(goAdapter.debugLeftovers(test), []);
  });

  it('an aliased fmt is still fmt; a local package called fmt-something is not', async () => {
    const file = await parseGo('pkg/a.go', lines('package pkg', 'import f "fmt"', 'import "example.com/m/fmtx"', 'func g() {', '\tf.Print(1)', '\tfmtx.Println(2)', '}'));
    assert.deepEqual(goAdapter.debugLeftovers(file).map((d) => [d.kind, d.startLine]), [['fmt.Print', 5]]);
  });
});
