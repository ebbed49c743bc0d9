// Unit tests of the SMTP parser: sockw exec scripts/smtp/parser_test.js
import { test, assert, assertEquals, run } from '../../testdata/harness.js';
import {
  LineBuffer, lineText, parseCommand, parsePath, parseParams, parseSize, reply, dataLine, dotStuff,
  decodeBase64, encodeBase64, parseAuthPlain, parseUsers, timingSafeEqual, rfc5322Date, parseReplyLine,
  ehloExtensions, parseMailbox, COMMAND_LINE_LIMIT, TEXT_LINE_LIMIT,
} from './parser.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (b) => dec.decode(b);

test('LineBuffer splits CRLF and bare LF lines across chunks', () => {
  const lb = new LineBuffer();
  lb.push(enc.encode('EHLO a\r\nNO'));
  assertEquals(text(lb.next(512).bytes), 'EHLO a\r\n');
  assertEquals(lb.next(512), null);
  lb.push(enc.encode('OP\nQUIT\r\n'));
  assertEquals(text(lb.next(512).bytes), 'NOOP\n');
  assertEquals(text(lb.next(512).bytes), 'QUIT\r\n');
  assertEquals(lb.next(512), null);
  assertEquals(lb.buffered, 0);
});

test('LineBuffer reports an overlong line once, without buffering it', () => {
  const lb = new LineBuffer();
  const big = new Uint8Array(4096).fill(65);
  for (let i = 0; i < 10; i++) { lb.push(big); assertEquals(lb.next(COMMAND_LINE_LIMIT), null); assert(lb.buffered <= 4096); }
  lb.push(enc.encode('AAA\r\nNOOP\r\n'));
  assertEquals(lb.next(COMMAND_LINE_LIMIT), { tooLong: true });
  assertEquals(text(lb.next(COMMAND_LINE_LIMIT).bytes), 'NOOP\r\n');
});

test('LineBuffer: the limit counts CRLF (512 ok, 513 too long)', () => {
  const lb = new LineBuffer();
  lb.push(enc.encode('A'.repeat(510) + '\r\n' + 'B'.repeat(511) + '\r\n'));
  assertEquals(lb.next(512).bytes.length, 512);
  assertEquals(lb.next(512), { tooLong: true });
  lb.push(enc.encode('x'));
  lb.clear();
  assertEquals(lb.buffered, 0);
});

test('lineText strips the line ending and decodes garbage without throwing', () => {
  assertEquals(lineText(enc.encode('HELO x\r\n')), 'HELO x');
  assertEquals(lineText(new Uint8Array([0xff, 0xfe, 10])), '\ufffd\ufffd');
});

test('parseCommand', () => {
  assertEquals(parseCommand('ehlo example.com'), { verb: 'EHLO', arg: 'example.com', sep: ' ' });
  assertEquals(parseCommand('QUIT').verb, 'QUIT');
  assertEquals(parseCommand('MAIL FROM:<a@b>  ').arg, 'FROM:<a@b>');
  assertEquals(parseCommand('\x00\x01garbage').verb, '');
  assertEquals(parseCommand('').verb, '');
  assertEquals(parseCommand('123 abc').verb, '');
});

test('parsePath: MAIL FROM forms', () => {
  assertEquals(parsePath('FROM:<a@b.example>', 'FROM').address, 'a@b.example');
  assertEquals(parsePath('from: <a@b.example>', 'FROM').address, 'a@b.example');
  assertEquals(parsePath('FROM:<>', 'FROM').address, '');
  const p = parsePath('FROM:<"john doe"@[127.0.0.1]> SIZE=100 BODY=8BITMIME', 'FROM');
  assertEquals(p.address, '"john doe"@[127.0.0.1]');
  assertEquals(p.params.get('SIZE'), '100');
  assertEquals(p.params.get('BODY'), '8BITMIME');
  assertEquals(parsePath('FROM:<@relay.example:a@b.example>', 'FROM').address, 'a@b.example');
  assertEquals(parsePath('FROM:a@b', 'FROM').error[0], 501);
  assertEquals(parsePath('FROM:<a@b', 'FROM').error[1], '5.1.7');
  assertEquals(parsePath('FROM:<a b@c>', 'FROM').error[1], '5.1.7');
  assertEquals(parsePath('TO:<a@b>', 'FROM').error, [501, '5.5.4', 'Syntax: MAIL FROM:<address>']);
  assertEquals(parsePath('FROM:<a@b> SIZE', 'FROM').params.get('SIZE'), undefined);
  assertEquals(parsePath('FROM:<a@b> =x', 'FROM').error[1], '5.5.4');
});

test('parsePath: RCPT TO forms and limits', () => {
  assertEquals(parsePath('TO:<Postmaster>', 'TO').address, 'postmaster');
  assertEquals(parsePath('TO:<>', 'TO').error[1], '5.1.3');
  assertEquals(parsePath('TO:<' + 'a'.repeat(65) + '@b.c>', 'TO').error[1], '5.1.3');
  assertEquals(parsePath('TO:<a@' + 'b'.repeat(64) + '.c>', 'TO').error[1], '5.1.3');
  assertEquals(parsePath('TO:<a@' + 'b.'.repeat(130) + 'c>', 'TO').error[1], '5.1.3');
  assert(parseMailbox('a.b+c@d-e.example'));
  assert(!parseMailbox('a..b@c'));
  assert(!parseMailbox('a@-c'));
});

test('parseParams and parseSize', () => {
  assertEquals(parseParams('').size, 0);
  assertEquals(parseParams('A=1 A=2'), null);
  assertEquals(parseParams('BODY=8BITMIME').get('BODY'), '8BITMIME');
  assertEquals(parseSize('1024'), 1024);
  assert(Number.isNaN(parseSize('-1')));
  assert(Number.isNaN(parseSize(undefined)));
});

test('reply formats single and multi-line replies', () => {
  assertEquals(reply(250, '2.0.0', 'Ok'), '250 2.0.0 Ok\r\n');
  assertEquals(reply(250, '', ['h', 'SIZE 1']), '250-h\r\n250 SIZE 1\r\n');
  assertEquals(reply(214, '2.0.0', ['a', 'b']), '214-2.0.0 a\r\n214 2.0.0 b\r\n');
});

test('dataLine unstuffs dots and finds the end', () => {
  assertEquals(dataLine(enc.encode('.\r\n')), 'end');
  assertEquals(dataLine(enc.encode('.\n')), 'end');
  assertEquals(text(dataLine(enc.encode('..\r\n'))), '.\r\n');
  assertEquals(text(dataLine(enc.encode('..x\r\n'))), '.x\r\n');
  assertEquals(text(dataLine(enc.encode('x.\r\n'))), 'x.\r\n');
});

test('dotStuff round-trips through dataLine', () => {
  const msg = enc.encode('a\r\n.b\r\n.\r\nc\nd');
  const stuffed = dotStuff(msg);
  assertEquals(text(stuffed), 'a\r\n..b\r\n..\r\nc\r\nd\r\n.\r\n');
  const lb = new LineBuffer();
  lb.push(stuffed);
  let out = '';
  for (;;) { const l = lb.next(TEXT_LINE_LIMIT); const d = dataLine(l.bytes); if (d === 'end') break; out += text(d); }
  assertEquals(out, 'a\r\n.b\r\n.\r\nc\r\nd\r\n');
});

test('base64 and AUTH PLAIN', () => {
  const b = encodeBase64('\0alice\0secret');
  assertEquals(b, 'AGFsaWNlAHNlY3JldA==');
  assertEquals(parseAuthPlain(b), { authzid: '', user: 'alice', pass: 'secret' });
  assertEquals(parseAuthPlain(encodeBase64('alice\0alice\0pw')).authzid, 'alice');
  assertEquals(parseAuthPlain('!!!'), null);
  assertEquals(parseAuthPlain(encodeBase64('alice')), null);
  assertEquals(parseAuthPlain(encodeBase64('\0\0pw')), null);
  assertEquals(decodeBase64('abc'), null);
  assertEquals(text(decodeBase64(encodeBase64('héllo'))), 'héllo');
});

test('parseUsers and timingSafeEqual', () => {
  const u = parseUsers('alice:secret, bob:p:w');
  assertEquals(u.get('alice'), 'secret');
  assertEquals(u.get('bob'), 'p:w');
  assertEquals(parseUsers('').size, 0);
  let threw = false;
  try { parseUsers('nopass'); } catch { threw = true; }
  assert(threw);
  assert(timingSafeEqual('abc', 'abc'));
  assert(!timingSafeEqual('abc', 'abd'));
  assert(!timingSafeEqual('abc', 'abcd'));
});

test('rfc5322Date', () => {
  assertEquals(rfc5322Date(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), 'Tue, 2 Jan 2024 03:04:05 +0000');
});

test('client side: parseReplyLine and ehloExtensions', () => {
  assertEquals(parseReplyLine('250-SIZE 100'), { code: 250, last: false, text: 'SIZE 100' });
  assertEquals(parseReplyLine('221'), { code: 221, last: true, text: '' });
  assertEquals(parseReplyLine('hello'), null);
  const ext = ehloExtensions(['host hi', 'STARTTLS', 'SIZE 100', 'AUTH PLAIN LOGIN']);
  assertEquals(ext.get('SIZE'), '100');
  assert(ext.has('STARTTLS'));
});

await run();
