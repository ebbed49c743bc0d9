// Conformance tests for node:url's legacy API and node:querystring, checked
// against Node 20 (node --experimental-detect-module url_test.js).
import { test, assertEquals, assertThrows, run } from '../../../testdata/harness.js';
import url from 'node:url';
import { URL as NodeURL, fileURLToPath, pathToFileURL } from 'url';
import querystring from 'node:querystring';

const plain = (o) => JSON.parse(JSON.stringify(o));

test('url.parse splits a full URL', () => {
  assertEquals(plain(url.parse('mqtt://user:pw@Broker.example:1883/path?x=1&y=2&x=3#frag', true)), {
    protocol: 'mqtt:', slashes: true, auth: 'user:pw', host: 'broker.example:1883', port: '1883',
    hostname: 'broker.example', hash: '#frag', search: '?x=1&y=2&x=3', query: { x: ['1', '3'], y: '2' },
    pathname: '/path', path: '/path?x=1&y=2&x=3', href: 'mqtt://user:pw@broker.example:1883/path?x=1&y=2&x=3#frag',
  });
});

test('url.parse without path or query', () => {
  const u = url.parse('mqtt://localhost');
  assertEquals([u.host, u.port, u.pathname, u.query, u.href], ['localhost', null, null, null, 'mqtt://localhost']);
  assertEquals(url.parse('http://example.com').pathname, '/');
  assertEquals(url.parse('/just/a/path?q=1').pathname, '/just/a/path');
  assertEquals(url.parse('//host/p', false, true).host, 'host');
});

test('url.format builds from parts and from URL', () => {
  assertEquals(url.format({ protocol: 'http', hostname: 'a.b', port: 80, pathname: '/x', query: { a: 1, b: [2, 3] } }), 'http://a.b:80/x?a=1&b=2&b=3');
  assertEquals(url.format(new URL('https://u:p@x.example/p?q#h'), { auth: false, search: false, fragment: false }), 'https://x.example/p');
});

test('url.resolve', () => {
  assertEquals(url.resolve('http://a/b/c', '../d'), 'http://a/d');
  assertEquals(url.resolve('/one/two', 'three'), '/one/three');
  assertEquals(url.resolve('http://example.com/', '/one'), 'http://example.com/one');
});

test('file URLs and domains', () => {
  assertEquals(fileURLToPath('file:///tmp/a%20b'), '/tmp/a b');
  assertEquals(pathToFileURL('/tmp/a b').href, 'file:///tmp/a%20b');
  assertEquals(url.domainToASCII('Ünicode.example'), 'xn--nicode-2ya.example');
  assertEquals(assertThrows(TypeError, () => fileURLToPath('http://x/')).code, 'ERR_INVALID_URL_SCHEME');
  assertEquals(NodeURL, URL);
});

test('querystring', () => {
  assertEquals(plain(querystring.parse('a=1&b=%20x+y&a=2')), { a: ['1', '2'], b: ' x y' });
  assertEquals(querystring.stringify({ a: [1, 2], b: 'x y!', c: null, d: true }), 'a=1&a=2&b=x%20y!&c=&d=true');
  assertEquals(Object.getPrototypeOf(querystring.parse('a=1')), null);
  assertEquals(querystring.parse('a=%zz').a, '%zz');
  assertEquals(plain(querystring.parse('a:1;b:2', ';', ':')), { a: '1', b: '2' });
});

await run();
