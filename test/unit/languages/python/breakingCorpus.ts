/**
 * The Python breaking-change corpus: an old and a new version of one module, the
 * breaks expected (`name` or `name.member`, empty for a compatible change) and, for
 * the interpreter check, `use`: code written against the old module (imported as
 * `m`) that runs against the old version and, exactly when breaks are expected,
 * fails against the new one.
 */
export interface BreakingCase {
  title: string;
  old: string;
  new: string;
  breaks: string[];
  use: string;
  /** The module's file name (default `m.py`). */
  path?: string;
}

const src = (...text: string[]): string => `${text.join('\n')}\n`;

export const breakingCorpus: BreakingCase[] = [
  // ---- must find: module-level names
  { title: 'public function removed', old: src('def parse(s):', '    return s', 'def other(): pass'), new: src('def other(): pass'), breaks: ['parse'], use: 'm.parse("x")' },
  { title: 'function renamed (reported as the removal)', old: src('def load(p):', '    return p'), new: src('def read(p):', '    return p'), breaks: ['load'], use: 'm.load(1)' },
  { title: 'public class removed', old: src('class Client:', '    pass'), new: src('X = 1'), breaks: ['Client'], use: 'm.Client()' },
  { title: 'module constant removed', old: src('TIMEOUT = 30', 'def f(): pass'), new: src('def f(): pass'), breaks: ['TIMEOUT'], use: 'assert m.TIMEOUT == 30' },
  { title: 'annotated module variable removed', old: src('retries: int = 3'), new: src('other: int = 3'), breaks: ['retries'], use: 'm.retries' },
  { title: '__all__ shrinks: a name leaves the API', old: src('__all__ = ["a", "b"]', 'def a(): pass', 'def b(): pass'), new: src('__all__ = ["a"]', 'def a(): pass', 'def b(): pass'), breaks: ['b'], use: 'exec("from m import *"); b()' },
  { title: '__all__ += shrinks', old: src('__all__ = ["a"]', '__all__ += ["c"]', 'def a(): pass', 'def c(): pass'), new: src('__all__ = ["a"]', 'def a(): pass', 'def c(): pass'), breaks: ['c'], use: 'exec("from m import *"); c()' },
  { title: 'a re-export dropped from a package __init__', path: 'pkg/__init__.py', old: src('from .core import run, stop'), new: src('from .core import run'), breaks: ['stop'], use: 'm.stop' },
  { title: 'class became a function', old: src('class Config:', '    def __init__(self, path):', '        self.path = path'), new: src('def Config(path):', '    return {"path": path}'), breaks: ['Config'], use: 'assert isinstance(m.Config("p"), m.Config)' },
  { title: 'constant became a function', old: src('VERSION = "1.0"'), new: src('def VERSION():', '    return "1.0"'), breaks: ['VERSION'], use: 'assert m.VERSION.startswith("1")' },

  // ---- must find: parameters
  { title: 'parameter removed', old: src('def fetch(url, timeout=10):', '    return url'), new: src('def fetch(url):', '    return url'), breaks: ['fetch'], use: 'm.fetch("u", timeout=3)' },
  { title: 'required parameter added', old: src('def send(msg):', '    return msg'), new: src('def send(msg, channel):', '    return msg'), breaks: ['send'], use: 'm.send("hi")' },
  { title: 'required keyword-only parameter added', old: src('def send(msg):', '    return msg'), new: src('def send(msg, *, channel):', '    return msg'), breaks: ['send'], use: 'm.send("hi")' },
  { title: 'positional parameters reordered', old: src('def move(src, dst):', '    return (src, dst)'), new: src('def move(dst, src):', '    return (src, dst)'), breaks: ['move'], use: 'assert m.move(1, 2) == (1, 2)' },
  { title: 'optional parameter inserted before an existing one', old: src('def f(a, b=0):', '    return b'), new: src('def f(a, x=None, b=0):', '    return b'), breaks: ['f'], use: 'assert m.f(1, 2) == 2' },
  { title: 'positional parameter became keyword-only', old: src('def connect(host, port=80):', '    return port'), new: src('def connect(host, *, port=80):', '    return port'), breaks: ['connect'], use: 'm.connect("h", 8080)' },
  { title: 'parameter became positional-only', old: src('def scale(value, factor=2):', '    return value * factor'), new: src('def scale(value, factor=2, /):', '    return value * factor'), breaks: ['scale'], use: 'm.scale(value=3)' },
  { title: '*args removed', old: src('def log(fmt, *args):', '    return fmt % args'), new: src('def log(fmt):', '    return fmt'), breaks: ['log'], use: 'm.log("%s", 1)' },
  { title: '**kwargs removed', old: src('def make(kind, **options):', '    return options'), new: src('def make(kind):', '    return {}'), breaks: ['make'], use: 'm.make("k", size=1)' },
  { title: 'default removed', old: src('def run(cmd, check=True):', '    return check'), new: src('def run(cmd, check):', '    return check'), breaks: ['run'], use: 'm.run("ls")' },
  { title: 'parameter renamed: keyword callers fail', old: src('def read(path, encoding="utf-8"):', '    return path'), new: src('def read(path, charset="utf-8"):', '    return path'), breaks: ['read'], use: 'm.read("p", encoding="latin-1")' },
  { title: 'keyword-only parameter removed', old: src('def dump(obj, *, indent=None):', '    return obj'), new: src('def dump(obj):', '    return obj'), breaks: ['dump'], use: 'm.dump(1, indent=2)' },
  { title: 'function became async', old: src('def get(key):', '    return key'), new: src('async def get(key):', '    return key'), breaks: ['get'], use: 'assert m.get("k") == "k"' },

  // ---- must find: classes
  { title: 'constructor gained a required parameter', old: src('class Pool:', '    def __init__(self, size=4):', '        self.size = size'), new: src('class Pool:', '    def __init__(self, size, name):', '        self.size = size'), breaks: ['Pool.__init__'], use: 'm.Pool()' },
  { title: 'constructor added to a class that took no arguments', old: src('class Cache:', '    store = {}'), new: src('class Cache:', '    store = {}', '    def __init__(self, backend):', '        self.backend = backend'), breaks: ['Cache.__init__'], use: 'm.Cache()' },
  { title: 'dataclass field added without default', old: src('from dataclasses import dataclass', '@dataclass', 'class Point:', '    x: int', '    y: int = 0'), new: src('from dataclasses import dataclass', '@dataclass', 'class Point:', '    x: int', '    z: int', '    y: int = 0'), breaks: ['Point.__init__'], use: 'm.Point(1)' },
  { title: 'public method removed', old: src('class Client:', '    def send(self, data):', '        return data', '    def close(self):', '        pass'), new: src('class Client:', '    def send(self, data):', '        return data'), breaks: ['Client.close'], use: 'm.Client().close()' },
  { title: 'method lost a parameter', old: src('class Client:', '    def send(self, data, retries=0):', '        return data'), new: src('class Client:', '    def send(self, data):', '        return data'), breaks: ['Client.send'], use: 'm.Client().send(1, retries=2)' },
  { title: 'method gained a required parameter', old: src('class Repo:', '    def get(self, key):', '        return key'), new: src('class Repo:', '    def get(self, key, default):', '        return key'), breaks: ['Repo.get'], use: 'm.Repo().get("k")' },
  { title: 'base class removed', old: src('class Base:', '    def hello(self):', '        return 1', 'class Child(Base):', '    pass'), new: src('class Base:', '    def hello(self):', '        return 1', 'class Child:', '    pass'), breaks: ['Child'], use: 'assert isinstance(m.Child(), m.Base); m.Child().hello()' },
  { title: 'method became a property', old: src('class User:', '    def name(self):', '        return "n"'), new: src('class User:', '    @property', '    def name(self):', '        return "n"'), breaks: ['User.name'], use: 'assert m.User().name() == "n"' },
  { title: 'property became a method', old: src('class User:', '    @property', '    def name(self):', '        return "n"'), new: src('class User:', '    def name(self):', '        return "n"'), breaks: ['User.name'], use: 'assert m.User().name == "n"' },
  { title: 'staticmethod became an instance method', old: src('class Util:', '    @staticmethod', '    def parse(s):', '        return s'), new: src('class Util:', '    def parse(self, s):', '        return s'), breaks: ['Util.parse'], use: 'm.Util.parse("x")' },
  { title: 'classmethod became an instance method', old: src('class Model:', '    @classmethod', '    def create(cls, n):', '        return cls()'), new: src('class Model:', '    def create(self, n):', '        return self'), breaks: ['Model.create'], use: 'm.Model.create(1)' },
  { title: 'class attribute removed', old: src('class Color:', '    RED = 1', '    GREEN = 2'), new: src('class Color:', '    RED = 1'), breaks: ['Color.GREEN'], use: 'm.Color.GREEN' },
  { title: 'instance attribute removed', old: src('class Conn:', '    def __init__(self):', '        self.host = "h"', '        self.port = 1'), new: src('class Conn:', '    def __init__(self):', '        self.host = "h"'), breaks: ['Conn.port'], use: 'm.Conn().port' },
  { title: 'abstract method added: subclasses cannot be instantiated', old: src('from abc import ABC, abstractmethod', 'class Plugin(ABC):', '    @abstractmethod', '    def run(self): ...'), new: src('from abc import ABC, abstractmethod', 'class Plugin(ABC):', '    @abstractmethod', '    def run(self): ...', '    @abstractmethod', '    def stop(self): ...'), breaks: ['Plugin.stop'], use: 'class P(m.Plugin):\n    def run(self): pass\nP()' },
  { title: 'keyword-only method parameter became required', old: src('class S:', '    def q(self, *, limit=10):', '        return limit'), new: src('class S:', '    def q(self, *, limit):', '        return limit'), breaks: ['S.q'], use: 'm.S().q()' },

  // ---- must find: more shapes
  { title: 'dataclass field removed', old: src('from dataclasses import dataclass', '@dataclass', 'class Point:', '    x: int', '    y: int'), new: src('from dataclasses import dataclass', '@dataclass', 'class Point:', '    x: int'), breaks: ['Point.__init__', 'Point.y'], use: 'm.Point(1, 2)' },
  { title: 'NamedTuple field added without default', old: src('from typing import NamedTuple', 'class Row(NamedTuple):', '    id: int'), new: src('from typing import NamedTuple', 'class Row(NamedTuple):', '    id: int', '    name: str'), breaks: ['Row.__init__'], use: 'm.Row(1)' },
  { title: '__len__ removed', old: src('class Bag:', '    def __len__(self):', '        return 0'), new: src('class Bag:', '    pass'), breaks: ['Bag.__len__'], use: 'len(m.Bag())' },
  { title: '__call__ lost a parameter', old: src('class Hook:', '    def __call__(self, event, ctx=None):', '        return event'), new: src('class Hook:', '    def __call__(self, event):', '        return event'), breaks: ['Hook.__call__'], use: 'm.Hook()(1, ctx=2)' },
  { title: 'exception base narrowed: except clauses stop catching it', old: src('class ParseError(ValueError):', '    pass'), new: src('class ParseError(Exception):', '    pass'), breaks: ['ParseError'], use: 'try:\n    raise m.ParseError()\nexcept ValueError:\n    pass' },
  { title: 'constructor parameter became keyword-only', old: src('class Server:', '    def __init__(self, host, port=80):', '        self.host = host'), new: src('class Server:', '    def __init__(self, host, *, port=80):', '        self.host = host'), breaks: ['Server.__init__'], use: 'm.Server("h", 8080)' },
  { title: 'async function became sync', old: src('async def fetch():', '    return 1'), new: src('def fetch():', '    return 1'), breaks: ['fetch'], use: 'asyncio.run(m.fetch())' },
  { title: 'a name re-exported through __all__ removed', old: src('from json import dumps as encode', '__all__ = ["encode", "decode"]', 'def decode(s): return s'), new: src('__all__ = ["decode"]', 'def decode(s): return s'), breaks: ['encode'], use: 'm.encode(1)' },
  { title: 'enum member removed', old: src('from enum import Enum', 'class Mode(Enum):', '    READ = 1', '    WRITE = 2'), new: src('from enum import Enum', 'class Mode(Enum):', '    READ = 1'), breaks: ['Mode.WRITE'], use: 'm.Mode.WRITE' },
  { title: 'instance method became a staticmethod', old: src('class K:', '    def make(self, n):', '        return n'), new: src('class K:', '    @staticmethod', '    def make(n):', '        return n'), breaks: ['K.make'], use: 'm.K.make(m.K(), 1)' },
  { title: 'method removed from a base class the subclass inherits it from', old: src('class Base:', '    def ping(self):', '        return 1', 'class Child(Base):', '    pass'), new: src('class Base:', '    pass', 'class Child(Base):', '    pass'), breaks: ['Base.ping'], use: 'm.Child().ping()' },
  { title: 'compatibility alias removed', old: src('def new_name(x):', '    return x', 'old_name = new_name'), new: src('def new_name(x):', '    return x'), breaks: ['old_name'], use: 'm.old_name(1)' },
  { title: 'class decorated and its constructor reordered', old: src('import functools', 'class Job:', '    def __init__(self, name, priority=0):', '        self.name = name'), new: src('import functools', 'class Job:', '    def __init__(self, priority, name):', '        self.name = name'), breaks: ['Job.__init__'], use: 'm.Job("n")' },
  { title: 'function renamed in a package __init__ (defined there)', path: 'pkg/__init__.py', old: src('def setup(app):', '    return app'), new: src('def configure(app):', '    return app'), breaks: ['setup'], use: 'm.setup(1)' },

  { title: 'dataclass became frozen', old: src('from dataclasses import dataclass', '@dataclass', 'class Opts:', '    level: int = 0'), new: src('from dataclasses import dataclass', '@dataclass(frozen=True)', 'class Opts:', '    level: int = 0'), breaks: ['Opts'], use: 'o = m.Opts()\no.level = 2' },
  { title: 'property lost its setter', old: src('class T:', '    @property', '    def v(self):', '        return 1', '    @v.setter', '    def v(self, value):', '        pass'), new: src('class T:', '    @property', '    def v(self):', '        return 1'), breaks: ['T.v'], use: 'm.T().v = 3' },
  { title: 'a concrete class gains an abstract method: instantiating it fails', old: src('from abc import ABC', 'class Store(ABC):', '    def get(self):', '        return 1'), new: src('from abc import ABC, abstractmethod', 'class Store(ABC):', '    def get(self):', '        return 1', '    @abstractmethod', '    def put(self): ...'), breaks: ['Store.put'], use: 'm.Store().get()' },

  // ---- must not find: more compatible shapes
  { title: 'method moved up into a base class of the same module', old: src('class Base:', '    pass', 'class Child(Base):', '    def ping(self):', '        return 1'), new: src('class Base:', '    def ping(self):', '        return 1', 'class Child(Base):', '    pass'), breaks: [], use: 'm.Child().ping()' },
  { title: 'base replaced by an intermediate class deriving from it', old: src('class Base: pass', 'class Child(Base): pass'), new: src('class Base: pass', 'class Middle(Base): pass', 'class Child(Middle): pass'), breaks: [], use: 'assert isinstance(m.Child(), m.Base)' },
  { title: 'class renamed with a compatibility alias', old: src('class Client:', '    def __init__(self, url):', '        self.url = url'), new: src('class HttpClient:', '    def __init__(self, url):', '        self.url = url', 'Client = HttpClient'), breaks: [], use: 'm.Client("u").url' },
  { title: 'function moved to another module and imported back', old: src('def helper(x):', '    return x'), new: src('from json import loads as helper'), breaks: [], use: 'm.helper' },
  { title: '__repr__ and __eq__ overrides removed', old: src('class V:', '    def __repr__(self):', '        return "V"', '    def __eq__(self, other):', '        return True'), new: src('class V:', '    pass'), breaks: [], use: 'repr(m.V()); m.V() == m.V()' },
  { title: '__slots__ changed', old: src('class P:', '    __slots__ = ("a",)'), new: src('class P:', '    __slots__ = ("a", "b")'), breaks: [], use: 'm.P()' },
  { title: 'a Protocol loses a method', old: src('from typing import Protocol', 'class Reader(Protocol):', '    def read(self) -> bytes: ...', '    def close(self) -> None: ...'), new: src('from typing import Protocol', 'class Reader(Protocol):', '    def read(self) -> bytes: ...'), breaks: [], use: 'm.Reader' },
  { title: 'removed name served by a module __getattr__ shim', old: src('def old(): return 1', 'def new(): return 1'), new: src('def new(): return 1', 'def __getattr__(name):', '    if name == "old":', '        return new', '    raise AttributeError(name)'), breaks: [], use: 'm.old()' },
  { title: 'a syntax error inside a parameter list gives no parameter break', old: src('def f(a, b=1):', '    return a', 'def g(x): return x'), new: src('def f(a, b=', '    return a', 'def g(x): return x'), breaks: [], use: 'pass' },
  { title: '__eq__ parameter renamed', old: src('class V:', '    def __eq__(self, other):', '        return True'), new: src('class V:', '    def __eq__(self, that):', '        return True'), breaks: [], use: 'm.V() == m.V()' },
  { title: 'a value built by a call became a function', old: src('import functools', 'def _impl(a, b): return a', 'handler = functools.partial(_impl, 1)'), new: src('def handler(b): return 1'), breaks: [], use: 'm.handler(2)' },
  { title: 'keyword-only parameter may now be passed positionally too', old: src('def f(a, *, b=1):', '    return b'), new: src('def f(a, b=1):', '    return b'), breaks: [], use: 'm.f(1, b=2)' },
  { title: '__init__ moved into a base class: the subclass keeps its constructor (the base, which took nothing, breaks)', old: src('class Base: pass', 'class C(Base):', '    def __init__(self, x):', '        self.x = x'), new: src('class Base:', '    def __init__(self, x):', '        self.x = x', 'class C(Base): pass'), breaks: ['Base.__init__'], use: 'm.C(1).x; m.Base()' },
  { title: 'an override of a framework base’s method removed', old: src('import threading', 'class Worker(threading.Thread):', '    def run(self):', '        pass'), new: src('import threading', 'class Worker(threading.Thread):', '    pass'), breaks: [], use: 'm.Worker().run()' },
  { title: 'staticmethod became a classmethod', old: src('class U:', '    @staticmethod', '    def parse(s):', '        return s'), new: src('class U:', '    @classmethod', '    def parse(cls, s):', '        return s'), breaks: [], use: 'm.U.parse("x"); m.U().parse("y")' },
  { title: 'function became a class with the same call', old: src('def Point(x, y):', '    return (x, y)'), new: src('class Point:', '    def __init__(self, x, y):', '        self.x, self.y = x, y'), breaks: [], use: 'm.Point(1, y=2)' },
  { title: 'property gained a setter', old: src('class A:', '    @property', '    def v(self):', '        return 1'), new: src('class A:', '    @property', '    def v(self):', '        return 1', '    @v.setter', '    def v(self, value):', '        pass'), breaks: [], use: 'm.A().v' },

  // ---- must not find: compatible changes
  { title: 'new optional parameter at the end', old: src('def fetch(url):', '    return url'), new: src('def fetch(url, timeout=None):', '    return url'), breaks: [], use: 'm.fetch("u"); m.fetch(url="u")' },
  { title: 'new optional keyword-only parameter', old: src('def fetch(url):', '    return url'), new: src('def fetch(url, *, retries=0):', '    return url'), breaks: [], use: 'm.fetch("u")' },
  { title: 'new **kwargs', old: src('def f(a):', '    return a'), new: src('def f(a, **extra):', '    return a'), breaks: [], use: 'm.f(1); m.f(a=1)' },
  { title: 'new *args after the positional parameters', old: src('def f(a, b=1):', '    return a'), new: src('def f(a, b=1, *rest):', '    return a'), breaks: [], use: 'm.f(1, 2); m.f(a=1, b=2)' },
  { title: 'default added', old: src('def f(a, b):', '    return a'), new: src('def f(a, b=2):', '    return a'), breaks: [], use: 'm.f(1, 2)' },
  { title: 'private function removed', old: src('def _helper(): pass', 'def api(): return 1'), new: src('def api(): return 1'), breaks: [], use: 'm.api()' },
  { title: 'private method changed', old: src('class C:', '    def _step(self, a): pass'), new: src('class C:', '    def _step(self, a, b): pass'), breaks: [], use: 'm.C()' },
  { title: 'body changed', old: src('def total(xs):', '    return sum(xs)'), new: src('def total(xs):', '    result = 0', '    for x in xs:', '        result += x', '    return result'), breaks: [], use: 'assert m.total([1, 2]) == 3' },
  { title: 'docstring and comments edited', old: src('def f(a):', '    """Old doc."""', '    return a  # old'), new: src('def f(a):', '    """New, longer doc.', '', '    More.', '    """', '    # new comment', '    return a'), breaks: [], use: 'm.f(1)' },
  { title: 'declarations reordered', old: src('def a(): return 1', 'def b(): return 2', 'class C: pass'), new: src('class C: pass', 'def b(): return 2', 'def a(): return 1'), breaks: [], use: 'm.a(); m.b(); m.C()' },
  { title: 'annotations changed (not checked at run time)', old: src('def area(r: int) -> int:', '    return r * r'), new: src('def area(r: float) -> float:', '    return r * r'), breaks: [], use: 'm.area(2)' },
  { title: 'a syntax error hides nothing: no false removal', old: src('def a(): return 1', 'def b(): return 2'), new: src('def a(: return 1', 'def b(): return 2'), breaks: [], use: 'pass' },
  { title: 'positional-only parameter renamed', old: src('def f(x, /):', '    return x'), new: src('def f(value, /):', '    return value'), breaks: [], use: 'm.f(1)' },
  { title: 'keyword-only parameters reordered', old: src('def f(*, a=1, b=2):', '    return a'), new: src('def f(*, b=2, a=1):', '    return a'), breaks: [], use: 'm.f(a=1, b=2)' },
  { title: 'new overload stubs over the same implementation', old: src('def parse(x, y=None):', '    return x'), new: src('from typing import overload', '@overload', 'def parse(x: int) -> int: ...', '@overload', 'def parse(x: str, y: str) -> str: ...', 'def parse(x, y=None):', '    return x'), breaks: [], use: 'm.parse(1); m.parse("a", "b")' },
  { title: 'new public function, class and method', old: src('class C:', '    def a(self): return 1'), new: src('class C:', '    def a(self): return 1', '    def b(self): return 2', 'def g(): pass', 'class D: pass'), breaks: [], use: 'm.C().a()' },
  { title: 'a removed import in a plain module is not API', old: src('import os', 'from json import dumps', 'def f(): return 1'), new: src('def f(): return 1'), breaks: [], use: 'm.f()' },
  { title: 'module-level name that was never public under __all__ removed', old: src('__all__ = ["a"]', 'def a(): pass', 'def helper(): pass'), new: src('__all__ = ["a"]', 'def a(): pass'), breaks: [], use: 'exec("from m import *"); a()' },
  { title: 'new base class added', old: src('class Child:', '    pass'), new: src('class Mixin:', '    pass', 'class Child(Mixin):', '    pass'), breaks: [], use: 'm.Child()' },
  { title: 'ABC base dropped', old: src('from abc import ABC', 'class Thing(ABC):', '    def go(self): return 1'), new: src('class Thing:', '    def go(self): return 1'), breaks: [], use: 'm.Thing().go()' },
  { title: 'attribute became a property', old: src('class Box:', '    def __init__(self):', '        self.size = 1'), new: src('class Box:', '    @property', '    def size(self):', '        return 1'), breaks: [], use: 'assert m.Box().size == 1' },
  { title: 'function moved into a try/except fallback still defines it', old: src('def fast(x):', '    return x'), new: src('try:', '    from _speedups import fast', 'except ImportError:', '    def fast(x):', '        return x'), breaks: [], use: 'm.fast(1)' },
  { title: 'dataclass field added with a default', old: src('from dataclasses import dataclass', '@dataclass', 'class P:', '    x: int'), new: src('from dataclasses import dataclass, field', '@dataclass', 'class P:', '    x: int', '    tags: list = field(default_factory=list)'), breaks: [], use: 'm.P(1)' },
  { title: 'a private method added beside a public one', old: src('class K:', '    def make(self):', '        return 1'), new: src('class K:', '    def make(self):', '        return 1', '    def _x(self): pass'), breaks: [], use: 'm.K().make()' },
  { title: 'parameter removed while **kwargs stays to accept it', old: src('def f(a, *, verbose=False, **kw):', '    return a'), new: src('def f(a, **kw):', '    return a'), breaks: [], use: 'm.f(1, verbose=True)' },
  { title: 'dunder version constant changed', old: src('__version__ = "1.0"', 'def f(): pass'), new: src('__version__ = "2.0"', 'def f(): pass'), breaks: [], use: 'm.f()' },
  { title: 'if __name__ == "__main__" block removed', old: src('def main(): return 0', 'if __name__ == "__main__":', '    def local(): pass', '    main()'), new: src('def main(): return 0'), breaks: [], use: 'm.main()' },
];
