/**
 * The Go breaking-change corpus: one package `p` (module `example.com/m`) before and
 * after a change, the breaks expected by name (`F`, `S.A` for a member, none for a
 * compatible change), and a caller written against the old version. The labels
 * follow the compiler: a case expects a break exactly when its caller, which builds
 * against the old package, no longer builds against the new one (checked with
 * `go build` outside the unit tests, which do not need Go).
 *
 * A version is one file's text (`p.go`) or several files of the package; the
 * `package p` clause is added to each.
 */

export type Version = string | Record<string, string>;

export interface GoCorpusCase {
  name: string;
  before: Version;
  after: Version;
  /** `Name` or `Name.Member`, in any order; empty for a compatible change. */
  breaks: string[];
  /** `main` package code using `p` (imported as `example.com/m/p`): compiles against `before`. */
  caller: string;
  /** Top-level declarations for the caller (types that implement `p`'s interfaces). */
  decls?: string;
  /** The new version does not parse, so the compiler cannot judge it: the label is the model's promise (no false "removed"). */
  syntaxError?: boolean;
}

export const GO_CORPUS: GoCorpusCase[] = [
  // ---- must find ------------------------------------------------------------------------------
  { name: 'function removed', before: 'func F() {}\nfunc G() {}', after: 'func G() {}', breaks: ['F'], caller: 'p.F()' },
  { name: 'function renamed', before: 'func Parse(s string) int { return 0 }', after: 'func ParseString(s string) int { return 0 }', breaks: ['Parse'], caller: '_ = p.Parse("x")' },
  { name: 'function unexported', before: 'func F() {}', after: 'func f() {}', breaks: ['F'], caller: 'p.F()' },
  { name: 'parameter added', before: 'func F(a int) {}', after: 'func F(a, b int) {}', breaks: ['F'], caller: 'p.F(1)' },
  { name: 'parameter removed', before: 'func F(a int, s string) {}', after: 'func F(a int) {}', breaks: ['F'], caller: 'p.F(1, "x")' },
  { name: 'parameter retyped', before: 'func F(a int) {}', after: 'func F(a string) {}', breaks: ['F'], caller: 'p.F(1)' },
  { name: 'parameters reordered (types)', before: 'func F(n int, s string) {}', after: 'func F(s string, n int) {}', breaks: ['F'], caller: 'p.F(1, "x")' },
  { name: 'variadic removed', before: 'func F(xs ...int) {}', after: 'func F(xs []int) {}', breaks: ['F'], caller: 'p.F(1, 2)' },
  { name: 'variadic added', before: 'func F(xs []int) {}', after: 'func F(xs ...int) {}', breaks: ['F'], caller: 'p.F([]int{1})' },
  { name: 'result added', before: 'func F() int { return 0 }', after: 'func F() (int, error) { return 0, nil }', breaks: ['F'], caller: 'x := p.F()\n_ = x' },
  { name: 'result retyped', before: 'func F() int { return 0 }', after: 'func F() int64 { return 0 }', breaks: ['F'], caller: 'var x int = p.F()\n_ = x' },
  { name: 'results reordered', before: 'func F() (int, error) { return 0, nil }', after: 'func F() (error, int) { return nil, 0 }', breaks: ['F'], caller: 'var n int\nvar err error\nn, err = p.F()\n_, _ = n, err' },
  { name: 'struct field removed', before: 'type S struct {\n\tA int\n\tB string\n}', after: 'type S struct {\n\tB string\n}', breaks: ['S.A'], caller: 'var s p.S\n_ = s.A' },
  { name: 'struct field retyped', before: 'type S struct{ A int }', after: 'type S struct{ A string }', breaks: ['S.A'], caller: 'var s p.S\ns.A = 1\n_ = s' },
  { name: 'struct field unexported', before: 'type S struct{ Name string }', after: 'type S struct{ name string }', breaks: ['S.Name'], caller: '_ = p.S{Name: "x"}' },
  { name: 'grouped struct field retyped', before: 'type P struct{ X, Y int }', after: 'type P struct {\n\tX int\n\tY float64\n}', breaks: ['P.Y'], caller: 'var q p.P\nvar y int = q.Y\n_ = y' },
  { name: 'embedded struct removed', before: 'type Inner struct{ X int }\ntype S struct {\n\tInner\n\tY int\n}', after: 'type Inner struct{ X int }\ntype S struct {\n\tY int\n}', breaks: ['S.Inner', 'S.X'], caller: 'var s p.S\n_ = s.X' },
  { name: 'method removed', before: 'type S struct{}\nfunc (S) M() {}\nfunc (S) N() {}', after: 'type S struct{}\nfunc (S) N() {}', breaks: ['S.M'], caller: 'p.S{}.M()' },
  { name: 'method parameter added', before: 'type S struct{}\nfunc (s *S) Do(a int) {}', after: 'type S struct{}\nfunc (s *S) Do(a int, b bool) {}', breaks: ['S.Do'], caller: 'var s p.S\ns.Do(1)' },
  { name: 'method result changed', before: 'type C struct{}\nfunc (c *C) Len() int { return 0 }', after: 'type C struct{}\nfunc (c *C) Len() uint { return 0 }', breaks: ['C.Len'], caller: 'var c p.C\nvar n int = c.Len()\n_ = n' },
  { name: 'method became variadic', before: 'type S struct{}\nfunc (S) Add(xs []string) {}', after: 'type S struct{}\nfunc (S) Add(xs ...string) {}', breaks: ['S.Add'], caller: 'p.S{}.Add([]string{"a"})' },
  { name: 'value receiver became pointer receiver', before: 'type S struct{}\nfunc (S) M() {}', after: 'type S struct{}\nfunc (*S) M() {}', breaks: ['S.M'], caller: 'var _ interface{ M() } = p.S{}' },
  { name: 'method removed from a named non-struct type', before: 'type Level int\nfunc (l Level) String() string { return "" }', after: 'type Level int', breaks: ['Level.String'], caller: 'var l p.Level\n_ = l.String()' },
  { name: 'method added to an interface', before: 'type I interface{ M() }', after: 'type I interface {\n\tM()\n\tN()\n}', breaks: ['I.N'], caller: 'var _ p.I = impl{}', decls: 'type impl struct{}\nfunc (impl) M() {}' },
  { name: 'method removed from an interface', before: 'type I interface {\n\tM()\n\tN()\n}', after: 'type I interface{ M() }', breaks: ['I.N'], caller: 'var i p.I\nif i != nil {\n\ti.N()\n}' },
  { name: 'interface method parameter retyped', before: 'type I interface{ M(x int) }', after: 'type I interface{ M(x int64) }', breaks: ['I.M'], caller: 'var i p.I\nif i != nil {\n\ti.M(1 << 40)\n}\nvar _ p.I = impl{}', decls: 'type impl struct{}\nfunc (impl) M(x int) {}' },
  { name: 'interface method result added', before: 'type Store interface{ Get(k string) string }', after: 'type Store interface{ Get(k string) (string, bool) }', breaks: ['Store.Get'], caller: 'var s p.Store\nif s != nil {\n\t_ = s.Get("k") + ""\n}' },
  { name: 'embedded interface removed', before: 'import "io"\ntype I interface {\n\tio.Reader\n\tM()\n}', after: 'type I interface{ M() }', breaks: ['I'], caller: 'var i p.I\nif i != nil {\n\t_, _ = i.Read(nil)\n}' },
  { name: 'embedded interface added', before: 'type I interface{ M() }', after: 'import "fmt"\ntype I interface {\n\tM()\n\tfmt.Stringer\n}', breaks: ['I'], caller: 'var _ p.I = impl{}', decls: 'type impl struct{}\nfunc (impl) M() {}' },
  { name: 'struct became an interface', before: 'type S struct{ A int }', after: 'type S interface{ A() int }', breaks: ['S'], caller: '_ = p.S{A: 1}' },
  { name: 'struct became a named int', before: 'type S struct{}', after: 'type S int', breaks: ['S'], caller: '_ = p.S{}' },
  { name: 'underlying type changed', before: 'type ID int', after: 'type ID string', breaks: ['ID'], caller: 'var id p.ID = 1\n_ = id' },
  { name: 'alias target changed', before: 'type Bytes = []byte', after: 'type Bytes = string', breaks: ['Bytes'], caller: 'var b p.Bytes = []byte("x")\n_ = b' },
  { name: 'const type changed', before: 'const Max int = 10', after: 'const Max string = "10"', breaks: ['Max'], caller: 'var n int = p.Max\n_ = n' },
  { name: 'untyped const changed kind', before: 'const Timeout = 30', after: 'const Timeout = "30s"', breaks: ['Timeout'], caller: '_ = p.Timeout * 2' },
  { name: 'const removed from an iota group', before: 'const (\n\tA = iota\n\tB\n\tC\n)', after: 'const (\n\tA = iota\n\tB\n)', breaks: ['C'], caller: '_ = p.C' },
  { name: 'typed iota group retyped', before: 'type Mode int\nconst (\n\tRead Mode = iota\n\tWrite\n)', after: 'type Mode int\ntype Access uint8\nconst (\n\tRead Access = iota\n\tWrite\n)', breaks: ['Read', 'Write'], caller: 'var m p.Mode = p.Write\n_ = m\nvar r p.Mode = p.Read\n_ = r' },
  { name: 'var type changed', before: 'var Verbose bool', after: 'var Verbose int', breaks: ['Verbose'], caller: 'p.Verbose = true' },
  { name: 'var removed', before: 'import "errors"\nvar ErrClosed = errors.New("closed")', after: '', breaks: ['ErrClosed'], caller: '_ = p.ErrClosed' },
  { name: 'function constraint narrowed', before: 'func Keys[K any](xs []K) []K { return xs }', after: 'func Keys[K comparable](xs []K) []K { return xs }', breaks: ['Keys'], caller: '_ = p.Keys([]func(){})' },
  { name: 'generic type constraint narrowed', before: 'type Box[T any] struct{ V T }', after: 'import "fmt"\ntype Box[T fmt.Stringer] struct{ V T }', breaks: ['Box'], caller: 'var b p.Box[int]\n_ = b' },
  { name: 'function made generic', before: 'func Sum(xs []int) int { return 0 }', after: 'func Sum[T int | float64](xs []T) T { var z T; return z }', breaks: ['Sum'], caller: 'f := p.Sum\n_ = f' },
  { name: 'method removed, declared in another file of the package', before: { 'types.go': 'type Client struct{}', 'client.go': 'func (c *Client) Close() error { return nil }\nfunc (c *Client) Send() {}' }, after: { 'types.go': 'type Client struct{}', 'client.go': 'func (c *Client) Send() {}' }, breaks: ['Client.Close'], caller: 'c := &p.Client{}\n_ = c.Close()' },
  { name: 'file deleted with its function', before: { 'a.go': 'func A() {}', 'b.go': 'func B() {}' }, after: { 'a.go': 'func A() {}' }, breaks: ['B'], caller: 'p.B()' },

  { name: 'trailing variadic parameter added (function values break)', before: 'func F(a int) {}', after: 'type Option func()\nfunc F(a int, opts ...Option) {}', breaks: ['F'], caller: 'var f func(int) = p.F\n_ = f' },
  { name: 'promoted method removed (unexported embedded type)', before: 'type conn struct{}\nfunc (c *conn) Close() error { return nil }\ntype Client struct{ *conn }', after: 'type conn struct{}\ntype Client struct{ *conn }', breaks: ['Client.Close'], caller: 'var c p.Client\n_ = c.Close' },
  { name: 'promoted field retyped (unexported embedded type)', before: 'type base struct{ ID int }\ntype User struct {\n\tbase\n\tName string\n}', after: 'type base struct{ ID string }\ntype User struct {\n\tbase\n\tName string\n}', breaks: ['User.ID'], caller: 'var u p.User\nu.ID = 1\n_ = u' },
  { name: 'method added through an unexported embedded interface', before: 'type base interface{ M() }\ntype I interface{ base }', after: 'type base interface {\n\tM()\n\tN()\n}\ntype I interface{ base }', breaks: ['I.N'], caller: 'var _ p.I = impl{}', decls: 'type impl struct{}\nfunc (impl) M() {}' },
  { name: 'embedded field became a named field', before: 'type Inner struct{ X int }\ntype S struct{ Inner }', after: 'type Inner struct{ X int }\ntype S struct{ Inner Inner }', breaks: ['S.Inner', 'S.X'], caller: 'var s p.S\n_ = s.X' },
  { name: 'embedded pointer became embedded value', before: 'type Inner struct{ X int }\ntype S struct{ *Inner }', after: 'type Inner struct{ X int }\ntype S struct{ Inner }', breaks: ['S.Inner'], caller: 'var s p.S\ns.Inner = &p.Inner{}\n_ = s' },
  { name: 'untyped const became typed', before: 'const N = 3', after: 'const N int64 = 3', breaks: ['N'], caller: 'var x int = p.N\n_ = x' },
  { name: 'const became var', before: 'const Size = 8', after: 'var Size = 8', breaks: ['Size'], caller: 'const s = p.Size\n_ = s' },
  { name: 'var became const', before: 'var Debug = false', after: 'const Debug = false', breaks: ['Debug'], caller: 'p.Debug = true' },
  { name: 'channel direction narrowed', before: 'func Events() chan int { return nil }', after: 'func Events() <-chan int { return nil }', breaks: ['Events'], caller: 'p.Events() <- 1' },
  { name: 'field became a pointer', before: 'type Config struct{ Port int }', after: 'type Config struct{ Port *int }', breaks: ['Config.Port'], caller: '_ = p.Config{Port: 80}' },
  { name: 'function type gained a result', before: 'type Handler func(int)', after: 'type Handler func(int) error', breaks: ['Handler'], caller: 'var h p.Handler = func(int) {}\n_ = h' },
  { name: 'generic type gained a type parameter', before: 'type Box[T any] struct{ V T }', after: 'type Box[T, U any] struct {\n\tV T\n\tW U\n}', breaks: ['Box'], caller: 'var b p.Box[int]\n_ = b' },
  { name: 'result became a value instead of a pointer', before: 'type T struct{}\nfunc New() *T { return nil }', after: 'type T struct{}\nfunc New() T { return T{} }', breaks: ['New'], caller: 'var t *p.T = p.New()\n_ = t' },
  { name: 'method of a generic type changed', before: 'type Set[T comparable] struct{ m map[T]bool }\nfunc (s *Set[T]) Add(v T) {}', after: 'type Set[T comparable] struct{ m map[T]bool }\nfunc (s *Set[T]) Add(v T) bool { return true }', breaks: ['Set.Add'], caller: 'var s p.Set[int]\ns.Add(1)\nf := s.Add\nf(2)\nvar g func(int) = s.Add\n_ = g' },
  { name: 'type parameters of a generic function swapped', before: 'func Map[T, U any](xs []T, f func(T) U) []U { return nil }', after: 'func Map[U, T any](xs []T, f func(T) U) []U { return nil }', breaks: ['Map'], caller: '_ = p.Map[int, string]([]int{1}, func(int) string { return "" })' },
  { name: 'method added to an interface that another embeds', before: 'type Reader interface{ Read() }\ntype ReadCloser interface {\n\tReader\n\tClose()\n}', after: 'type Reader interface {\n\tRead()\n\tReset()\n}\ntype ReadCloser interface {\n\tReader\n\tClose()\n}', breaks: ['ReadCloser.Reset', 'Reader.Reset'], caller: 'var _ p.ReadCloser = impl{}', decls: 'type impl struct{}\nfunc (impl) Read() {}\nfunc (impl) Close() {}' },
  { name: 'method removed from an embedded exported struct', before: 'type Base struct{}\nfunc (Base) ID() int { return 0 }\ntype User struct{ Base }', after: 'type Base struct{}\ntype User struct{ Base }', breaks: ['Base.ID', 'User.ID'], caller: 'var u p.User\n_ = u.ID()' },
  // ---- must not find --------------------------------------------------------------------------
  { name: 'new function', before: 'func F() {}', after: 'func F() {}\nfunc G() {}', breaks: [], caller: 'p.F()' },
  { name: 'new type', before: 'func F() {}', after: 'func F() {}\ntype T struct{ A int }', breaks: [], caller: 'p.F()' },
  { name: 'new struct field', before: 'type S struct{ A int }', after: 'type S struct {\n\tA int\n\tB string\n}', breaks: [], caller: 's := p.S{A: 1}\n_ = s.A' },
  { name: 'new method on a struct', before: 'type S struct{}\nfunc (S) M() {}', after: 'type S struct{}\nfunc (S) M() {}\nfunc (S) N() {}', breaks: [], caller: 'p.S{}.M()' },
  { name: 'new method on a type, in a new file', before: { 'p.go': 'type S struct{}' }, after: { 'p.go': 'type S struct{}', 'more.go': 'func (s S) Extra() int { return 1 }' }, breaks: [], caller: '_ = p.S{}' },
  { name: 'body changed', before: 'func F(a int) int { return a }', after: 'func F(a int) int {\n\tif a < 0 {\n\t\treturn -a\n\t}\n\treturn a * 2\n}', breaks: [], caller: '_ = p.F(1)' },
  { name: 'comments changed', before: '// F does a thing.\nfunc F() {}', after: '// F does a different thing.\n//\n// Deprecated: use G.\nfunc F() {} // trailing', breaks: [], caller: 'p.F()' },
  { name: 'parameter renamed', before: 'func F(a int, b string) {}', after: 'func F(count int, label string) {}', breaks: [], caller: 'p.F(1, "x")' },
  { name: 'result names changed', before: 'func F() (n int, err error) { return }', after: 'func F() (count int, e error) { return }', breaks: [], caller: 'n, err := p.F()\n_, _ = n, err' },
  { name: 'grouped parameters split', before: 'func F(a, b int) {}', after: 'func F(a int, b int) {}', breaks: [], caller: 'p.F(1, 2)' },
  { name: 'signature reformatted over lines', before: 'func F(a int, b string) (int, error) { return 0, nil }', after: 'func F(\n\ta int,\n\tb string,\n) (\n\tint,\n\terror,\n) {\n\treturn 0, nil\n}', breaks: [], caller: '_, _ = p.F(1, "x")' },
  { name: 'interface{} spelled any', before: 'func F(v interface{}) interface{} { return v }', after: 'func F(v any) any { return v }', breaks: [], caller: '_ = p.F(1)' },
  { name: 'declarations reordered', before: 'func A() {}\nfunc B() {}\ntype T struct{}\nconst C = 1', after: 'const C = 1\ntype T struct{}\nfunc B() {}\nfunc A() {}', breaks: [], caller: 'p.A()\np.B()\n_ = p.T{}\n_ = p.C' },
  { name: 'declaration moved to another file of the package', before: { 'a.go': 'func A() {}\nfunc B(x int) int { return x }', 'b.go': 'func C() {}' }, after: { 'a.go': 'func A() {}', 'b.go': 'func C() {}\n\nfunc B(x int) int { return x }' }, breaks: [], caller: 'p.A()\n_ = p.B(1)\np.C()' },
  { name: 'type moved to another file, its methods left behind', before: { 'a.go': 'type S struct{ A int }\nfunc (s S) M() {}' }, after: { 'a.go': 'func (s S) M() {}', 'types.go': 'type S struct{ A int }' }, breaks: [], caller: 'p.S{A: 1}.M()' },
  { name: 'pointer receiver became value receiver', before: 'type S struct{}\nfunc (s *S) M() {}', after: 'type S struct{}\nfunc (s S) M() {}', breaks: [], caller: 'var s p.S\ns.M()\nvar _ interface{ M() } = &s' },
  { name: 'method added to an interface with an unexported method', before: 'type I interface {\n\tM()\n\tsealed()\n}', after: 'type I interface {\n\tM()\n\tN()\n\tsealed()\n}', breaks: [], caller: 'var i p.I\nif i != nil {\n\ti.M()\n}' },
  { name: 'constraint widened to a union', before: 'func Abs[T int](x T) T { return x }', after: 'func Abs[T int | int64](x T) T { return x }', breaks: [], caller: '_ = p.Abs(1)' },
  { name: 'constraint widened to any', before: 'func Eq[T comparable](a, b T) bool { return true }', after: 'func Eq[T any](a, b T) bool { return true }', breaks: [], caller: '_ = p.Eq(1, 2)' },
  { name: 'type parameter renamed', before: 'type List[T any] struct{ items []T }', after: 'type List[E any] struct{ items []E }', breaks: [], caller: 'var l p.List[int]\n_ = l' },
  { name: 'unexported function changed and removed', before: 'func helper(a int) {}\nfunc other() {}\nfunc F() {}', after: 'func helper(a, b string) {}\nfunc F() {}', breaks: [], caller: 'p.F()' },
  { name: 'unexported field changed', before: 'type S struct {\n\tA int\n\tcache map[string]int\n}', after: 'type S struct {\n\tA int\n\tcache []int\n}', breaks: [], caller: '_ = p.S{A: 1}' },
  { name: 'methods of an unexported type changed', before: 'type impl struct{}\nfunc (impl) Do(a int) {}\nfunc New() int { return 0 }', after: 'type impl struct{}\nfunc (*impl) Do(a string) {}\nfunc New() int { return 0 }', breaks: [], caller: '_ = p.New()' },
  { name: 'unexported interface gained a method', before: 'type doer interface{ do() }\nfunc F() {}', after: 'type doer interface {\n\tdo()\n\tundo()\n}\nfunc F() {}', breaks: [], caller: 'p.F()' },
  { name: 'struct tag changed', before: 'type S struct {\n\tName string `json:"name"`\n}', after: 'type S struct {\n\tName string `json:"name,omitempty" yaml:"name"`\n}', breaks: [], caller: '_ = p.S{Name: "x"}' },
  { name: 'const value changed', before: 'const Version = "1.0"\nconst Limit int = 10', after: 'const Version = "1.1"\nconst Limit int = 20', breaks: [], caller: '_ = p.Version + ""\n_ = p.Limit + 1' },
  { name: 'var initialiser changed to a call', before: 'var Default = 1', after: 'func compute() int { return 2 }\nvar Default = compute()', breaks: [], caller: 'p.Default = 3' },
  { name: 'const group gained a member', before: 'const (\n\tA = iota\n\tB\n)', after: 'const (\n\tA = iota\n\tB\n\tC\n)', breaks: [], caller: '_ = p.A + p.B' },
  { name: 'test file changed', before: { 'p.go': 'func F() {}', 'p_test.go': 'func TestHelper() {}\nfunc Fixture() int { return 1 }' }, after: { 'p.go': 'func F() {}', 'p_test.go': 'func TestHelper() {}' }, breaks: [], caller: 'p.F()' },
  { name: 'new function in a new file', before: { 'a.go': 'func A() {}' }, after: { 'a.go': 'func A() {}', 'b.go': 'func B() {}' }, breaks: [], caller: 'p.A()' },
  { name: 'import added and used in a body', before: 'func F() string { return "" }', after: 'import "strings"\nfunc F() string { return strings.Repeat("a", 2) }', breaks: [], caller: '_ = p.F()' },
  { name: 'typed const became untyped of the same kind', before: 'const N int = 3', after: 'const N = 3', breaks: [], caller: 'var x int = p.N\n_ = x\n_ = p.N + 1' },
  { name: 'var given the type its literal had', before: 'var Ratio = 0.5\nvar Name = "x"', after: 'var Ratio float64 = 0.5\nvar Name string = "x"', breaks: [], caller: 'p.Ratio = 1\np.Name = "y"' },
  { name: 'interface methods reordered', before: 'type RW interface {\n\tRead() int\n\tWrite(int)\n}', after: 'type RW interface {\n\tWrite(int)\n\tRead() int\n}', breaks: [], caller: 'var _ p.RW = impl{}', decls: 'type impl struct{}\nfunc (impl) Read() int { return 0 }\nfunc (impl) Write(int) {}' },
  { name: 'method added to an interface sealed by an embedded unexported interface', before: 'type sealed interface{ isNode() }\ntype Node interface {\n\tsealed\n\tPos() int\n}', after: 'type sealed interface{ isNode() }\ntype Node interface {\n\tsealed\n\tPos() int\n\tEnd() int\n}', breaks: [], caller: 'var n p.Node\nif n != nil {\n\t_ = n.Pos()\n}' },
  { name: 'unexported method of an exported type removed', before: 'type S struct{}\nfunc (S) M() {}\nfunc (S) reset() {}', after: 'type S struct{}\nfunc (S) M() {}', breaks: [], caller: 'p.S{}.M()' },
  { name: 'new type alias for an existing type', before: 'type Options struct{ N int }', after: 'type Options struct{ N int }\ntype Config = Options', breaks: [], caller: '_ = p.Options{N: 1}' },
  { name: 'unexported embedded type gained a method', before: 'type base struct{}\ntype S struct{ base }', after: 'type base struct{}\nfunc (base) Extra() {}\ntype S struct{ base }', breaks: [], caller: '_ = p.S{}' },
  { name: 'variadic element type kept, parameter renamed', before: 'func Join(sep string, parts ...string) string { return "" }', after: 'func Join(separator string, elems ...string) string { return "" }', breaks: [], caller: '_ = p.Join(",", "a", "b")' },
  { name: 'method receiver names the type parameter differently', before: 'type Set[T comparable] struct{ m map[T]bool }\nfunc (s *Set[T]) Add(v T) bool { return true }', after: 'type Set[T comparable] struct{ m map[T]bool }\nfunc (s *Set[E]) Add(v E) bool { return true }', breaks: [], caller: 'var s p.Set[int]\n_ = s.Add(1)' },
  { name: 'generic struct type parameters renamed', before: 'type Pair[K comparable, V any] struct {\n\tKey K\n\tVal V\n}', after: 'type Pair[A comparable, B any] struct {\n\tKey A\n\tVal B\n}', breaks: [], caller: 'q := p.Pair[string, int]{Key: "a", Val: 1}\n_ = q' },
  { name: 'generic function type parameters renamed', before: 'func Map[T, U any](xs []T, f func(T) U) []U { return nil }', after: 'func Map[In, Out any](xs []In, f func(In) Out) []Out { return nil }', breaks: [], caller: '_ = p.Map[int, string]([]int{1}, func(int) string { return "" })' },
  { name: 'generic interface type parameter renamed', before: 'type Getter[T any] interface{ Get() T }', after: 'type Getter[V any] interface{ Get() V }', breaks: [], caller: 'var g p.Getter[int]\nif g != nil {\n\t_ = g.Get()\n}' },
  { name: 'syntax error hides a function', before: 'func F() {}\nfunc G() {}\ntype S struct{ A int }', after: 'func F() {\n\tif x {\n}\nfunc G() {}\ntype S struct{ A int }', breaks: [], caller: 'p.F()\np.G()', syntaxError: true },
  { name: 'syntax error in a struct hides a field', before: 'type S struct {\n\tA int\n\tB int\n}', after: 'type S struct {\n\tA int\n\tB int =\n}', breaks: [], caller: '_ = p.S{A: 1, B: 2}', syntaxError: true },
];
