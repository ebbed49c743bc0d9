// Conformance tests for URL and URLSearchParams (URL Standard), with cases
// from web-platform-tests' urltestdata.json and setters_tests.json.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('parsing and components', () => {
  const u = new URL('https://user:pa%20ss@EXAMPLE.com:8080/a/../b/./c?x=1&y=%20#frag ment');
  assertEquals(u.href, 'https://user:pa%20ss@example.com:8080/b/c?x=1&y=%20#frag%20ment');
  assertEquals(u.origin, 'https://example.com:8080');
  assertEquals(u.protocol, 'https:');
  assertEquals(u.username, 'user');
  assertEquals(u.password, 'pa%20ss');
  assertEquals(u.host, 'example.com:8080');
  assertEquals(u.hostname, 'example.com');
  assertEquals(u.port, '8080');
  assertEquals(u.pathname, '/b/c');
  assertEquals(u.search, '?x=1&y=%20');
  assertEquals(u.hash, '#frag%20ment');
  assertEquals(String(u), u.href);
  assertEquals(u.toJSON(), u.href);
  assertEquals(JSON.stringify({ u }), `{"u":"${u.href}"}`);
});

test('URL parsing table', () => {
  const table = [
    ['http://0x7f.1/', undefined, 'http://127.0.0.1/'],
    ['http:\\\\a.com\\b', undefined, 'http://a.com/b'],
    ['  http://a.com/ ', undefined, 'http://a.com/'],
    ['HTTP://a.com:80/', undefined, 'http://a.com/'],
    ['http://[0:0::1]:81/', undefined, 'http://[::1]:81/'],
    ['https://B\u00fccher.example/', undefined, 'https://xn--bcher-kva.example/'],
    ['non-spec:/.//p', undefined, 'non-spec:/.//p'],
    ['file:///C:/x/../y', undefined, 'file:///C:/y'],
    ['../c?q', 'http://a/x/y/z', 'http://a/x/c?q'],
    ['//h/p', 'https://a/', 'https://h/p'],
    ['#f', 'data:text/plain,x', 'data:text/plain,x#f'],
    ['\u{1F600}', 'http://a/', 'http://a/%F0%9F%98%80'],
    ['?\uD800', 'http://a/', 'http://a/?%EF%BF%BD'],
  ];
  for (const [input, base, href] of table) {
    assertEquals(new URL(input, base).href, href, `new URL(${JSON.stringify(input)}, ${JSON.stringify(base)})`);
  }
});

test('invalid URLs throw TypeError', () => {
  for (const [input, base] of [['a'], [''], ['http://a b/'], ['http://[::1/'], ['http://1.2.3.256/'], ['x', 'mailto:a'],
    ['http://a:99999/'], ['https://xn--a.com/'], ['a', 'not a url'], ['http://user@/']]) {
    assertThrows(TypeError, () => new URL(input, base), undefined, JSON.stringify([input, base]));
  }
  assertThrows(TypeError, () => new URL());
  assertThrows(TypeError, () => URL('http://a/'));
  assertThrows(TypeError, () => new URL('a', null), undefined, 'null is the base "null"');
});

test('URL.canParse and URL.parse', () => {
  assertEquals(URL.canParse('http://a/'), true);
  assertEquals(URL.canParse('a'), false);
  assertEquals(URL.canParse('a', 'http://b/'), true);
  assertEquals(URL.canParse('a', undefined), false);
  assertEquals(URL.parse('x'), null);
  const u = URL.parse('/p', 'https://h/q');
  assert(u instanceof URL);
  assertEquals(u.href, 'https://h/p');
  assertEquals(URL.parse.length, 1);
  assertEquals(URL.canParse.length, 1);
  assertThrows(TypeError, () => URL.canParse());
});

test('setters follow the state-override rules', () => {
  const cases = [
    // [href, attribute, value, expected href]
    ['http://a/', 'protocol', 'https', 'https://a/'],
    ['http://a/', 'protocol', 'foo', 'http://a/'],
    ['foo://a/', 'protocol', 'http', 'foo://a/'],
    ['https://a:8080/', 'protocol', 'http:', 'http://a:8080/'],
    ['https://a:443/', 'protocol', 'wss', 'wss://a/'],
    ['http://a:81/', 'protocol', 'file', 'http://a:81/'],
    ['http://a/', 'protocol', 'file', 'file://a/'],
    ['http://u@a/', 'protocol', 'file', 'http://u@a/'],
    ['http://a/', 'protocol', 'h\u00e9', 'http://a/'],
    ['http://a/', 'username', 'us er@', 'http://us%20er%40@a/'],
    ['http://a/', 'password', 'p:w', 'http://:p%3Aw@a/'],
    ['file:///x', 'username', 'u', 'file:///x'],
    ['mailto:x', 'username', 'u', 'mailto:x'],
    ['http://a/p', 'host', 'b:81', 'http://b:81/p'],
    ['http://a/p', 'host', 'b:x', 'http://b/p'],
    ['http://a/p', 'host', '', 'http://a/p'],
    ['http://a/p', 'host', 'b/c', 'http://b/p'],
    ['http://a/p', 'host', '0x7f.1', 'http://127.0.0.1/p'],
    ['mailto:x', 'host', 'a', 'mailto:x'],
    ['foo://a/p', 'host', '', 'foo:///p'],
    ['http://a:81/', 'hostname', 'b:82', 'http://a:81/'],
    ['http://a:81/', 'hostname', 'b', 'http://b:81/'],
    ['file://a/x', 'hostname', 'localhost', 'file:///x'],
    ['http://a/', 'port', '8080', 'http://a:8080/'],
    ['http://a/', 'port', '80', 'http://a/'],
    ['http://a:81/', 'port', '', 'http://a/'],
    ['http://a/', 'port', '12ab', 'http://a:12/'],
    ['http://a/', 'port', 'ab', 'http://a/'],
    ['http://a/', 'port', '65536', 'http://a/'],
    ['file:///x', 'port', '1', 'file:///x'],
    ['http://a/b', 'pathname', 'c d/../e', 'http://a/e'],
    ['http://a/b', 'pathname', '?#', 'http://a/%3F%23'],
    ['foo://a/b', 'pathname', 'x', 'foo://a/x'],
    ['mailto:x', 'pathname', 'y', 'mailto:x'],
    ['http://a/', 'search', 'q=1 2', 'http://a/?q=1%202'],
    ['http://a/', 'search', '??x', 'http://a/??x'],
    ['http://a/?x#f', 'search', '', 'http://a/#f'],
    ['http://a/', 'search', "'", 'http://a/?%27'],
    ['foo://a/', 'search', "'", "foo://a/?'"],
    ['http://a/', 'hash', 'x y', 'http://a/#x%20y'],
    ['http://a/#x', 'hash', '', 'http://a/'],
    ['http://a/', 'hash', '##', 'http://a/##'],
    ['data:space  ?q', 'search', '', 'data:space %20', 'whatwg/url#844: the space before ? is escaped'],
    ['http://a/', 'href', 'https://b/c', 'https://b/c'],
  ];
  for (const [href, attr, value, want] of cases) {
    const u = new URL(href);
    u[attr] = value;
    assertEquals(u.href, want, `${href} .${attr} = ${JSON.stringify(value)}`);
  }
  const u = new URL('http://a/');
  assertThrows(TypeError, () => { u.href = 'not a url'; });
  assertEquals(u.href, 'http://a/');
  assertThrows(TypeError, () => { 'use strict'; u.origin = 'x'; });
});

test('searchParams is live both ways', () => {
  const u = new URL('http://a/?x=1&y=2');
  const p = u.searchParams;
  assert(p === u.searchParams, 'same object');
  assertEquals(p.get('x'), '1');
  p.append('z', '3 4');
  assertEquals(u.href, 'http://a/?x=1&y=2&z=3+4');
  p.delete('x');
  assertEquals(u.search, '?y=2&z=3+4');
  u.search = '?a=b';
  assertEquals(p.get('a'), 'b');
  assertEquals(p.get('y'), null);
  u.href = 'http://c/?k=v';
  assertEquals([...p], [['k', 'v']]);
  p.delete('k');
  assertEquals(u.href, 'http://c/');
  u.search = '';
  assertEquals(p.size, 0);
  const d = new URL('data:space ?q');
  assertEquals(d.pathname, 'space%20');
  d.searchParams.delete('q');
  assertEquals(d.href, 'data:space%20');
  const h = new URL('http://a/?q#f');
  h.hash = 'g';
  assertEquals(h.searchParams.get('q'), '');
});

test('URLSearchParams constructors', () => {
  assertEquals(new URLSearchParams().toString(), '');
  assertEquals(new URLSearchParams('?a=1&b=2&a=3').getAll('a'), ['1', '3']);
  assertEquals(new URLSearchParams('a=b+c&d=%zz&e=%C3%A9&=x&&f').toString(), 'a=b+c&d=%25zz&e=%C3%A9&=x&f=');
  assertEquals(new URLSearchParams('a=%FF%FE').get('a'), '\uFFFD\uFFFD');
  assertEquals(new URLSearchParams('a=%F0%9F').get('a'), '\uFFFD');
  assertEquals(new URLSearchParams([['a', 1], ['b', 'c']]).toString(), 'a=1&b=c');
  assertEquals(new URLSearchParams({ a: '1', b: 2 }).toString(), 'a=1&b=2');
  assertEquals(new URLSearchParams(new URLSearchParams('x=y')).toString(), 'x=y');
  assertEquals(new URLSearchParams(new Map([['m', 'n']])).toString(), 'm=n');
  assertThrows(TypeError, () => new URLSearchParams([['a']]));
  assertThrows(TypeError, () => new URLSearchParams([['a', 'b', 'c']]));
  assertThrows(TypeError, () => new URLSearchParams(['ab']));
  assertThrows(TypeError, () => URLSearchParams());
  assertEquals(new URLSearchParams(undefined).size, 0);
  assertEquals(new URLSearchParams(null).toString(), 'null=');
});

test('URLSearchParams methods', () => {
  const p = new URLSearchParams('b=2&a=1&b=3');
  assertEquals(p.size, 3);
  assertEquals(p.get('b'), '2');
  assertEquals(p.get('zz'), null);
  assertEquals(p.has('a'), true);
  assertEquals(p.has('b', '3'), true);
  assertEquals(p.has('b', '4'), false);
  assertEquals(p.has('b', undefined), true);
  p.set('b', 'x');
  assertEquals(p.toString(), 'b=x&a=1');
  p.append('c', '1');
  p.append('c', '2');
  p.delete('c', '1');
  assertEquals(p.getAll('c'), ['2']);
  p.delete('c');
  assertEquals(p.has('c'), false);
  p.append('\u{1F600}', 'e');
  p.append('\uFFFD', 'f');
  p.append('a', '0');
  p.sort();
  assertEquals([...p.keys()], ['a', 'a', 'b', '\u{1F600}', '\uFFFD'], 'stable, by UTF-16 code units');
  assertEquals([...p.values()], ['1', '0', 'x', 'e', 'f']);
  assertEquals(p.toString(), 'a=1&a=0&b=x&%F0%9F%98%80=e&%EF%BF%BD=f');
  const q = new URLSearchParams();
  q.append('sp ace', 'a+b&c=d/~!*()\'');
  assertEquals(q.toString(), 'sp+ace=a%2Bb%26c%3Dd%2F%7E%21*%28%29%27');
  assertThrows(TypeError, () => q.append('a'));
  assertThrows(TypeError, () => URLSearchParams.prototype.get.call({}, 'a'));
});

test('URLSearchParams iteration', () => {
  const p = new URLSearchParams('a=1&b=2');
  assert(URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries);
  const it = p.entries();
  assertEquals(Object.prototype.toString.call(it), '[object URLSearchParams Iterator]');
  assert(it[Symbol.iterator]() === it, 'inherits %IteratorPrototype%');
  assertEquals(it.next(), { value: ['a', '1'], done: false });
  p.append('c', '3');
  assertEquals(it.next().value, ['b', '2']);
  assertEquals(it.next().value, ['c', '3'], 'live');
  assertEquals(it.next(), { value: undefined, done: true });
  const seen = [];
  p.forEach(function (value, name, obj) { seen.push([name, value, obj === p, this.t]); }, { t: 1 });
  assertEquals(seen, [['a', '1', true, 1], ['b', '2', true, 1], ['c', '3', true, 1]]);
  assertThrows(TypeError, () => p.forEach(1));
});

test('interface objects follow WebIDL', () => {
  for (const name of ['URL', 'URLSearchParams']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assertEquals([d.writable, d.enumerable, d.configurable], [true, false, true], name);
    assertEquals(Object.prototype.toString.call(globalThis[name].prototype), `[object ${name}]`);
  }
  assertEquals(URL.length, 1);
  assertEquals(URLSearchParams.length, 0);
  const href = Object.getOwnPropertyDescriptor(URL.prototype, 'href');
  assertEquals([typeof href.get, typeof href.set, href.enumerable, href.configurable], ['function', 'function', true, true]);
  assertEquals(href.get.name, 'get href');
  assertEquals(href.set.name, 'set href');
  assertEquals(Object.getOwnPropertyDescriptor(URL.prototype, 'origin').set, undefined);
  assertEquals(Object.keys(new URL('http://a/')), []);
  assertThrows(TypeError, () => href.get.call({}));
  class MyURL extends URL { get twice() { return this.href + this.href; } }
  assertEquals(new MyURL('http://a/').twice, 'http://a/http://a/');
});

await run();
