package console_test

import (
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/console"
)

func run(t *testing.T, src string) []string {
	t.Helper()
	e := bindingstest.New(t)
	var lines []string
	if err := console.Install(e.Host, func(l zapcore.Level, s string) { lines = append(lines, l.String()+" "+s) }); err != nil {
		t.Fatal(err)
	}
	if err := e.Run("console_test.js", src, time.Second); err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestFormat(t *testing.T) {
	cases := []struct{ src, want string }{
		{`console.log("a", 1, -0, true, null, undefined)`, "info a 1 -0 true null undefined"},
		{`console.log("%s is %d years and %i", "Bob", 42.5, 7.9, "extra")`, "info Bob is 42.5 years and 7 extra"},
		{`console.log("%j %%", {a: [1, "x"]})`, `info {"a":[1,"x"]} %`},
		{`console.log({a: 1, "b-c": "s", n: {m: {k: {deep: 1}}}})`, "info { a: 1, 'b-c': 's', n: { m: { k: [Object] } } }"},
		{`console.log(new Uint8Array([1, 2, 255]))`, "info Uint8Array(3) [ 1, 2, 255 ]"},
		{`console.log([1, [2, "x"]], new Map([["k", 1]]), new Set([1]))`, "info [ 1, [ 2, 'x' ] ] Map(1) { 'k' => 1 } Set(1) { 1 }"},
		{`const o = {}; o.self = o; console.warn(o)`, "warn <ref *1> { self: [Circular *1] }"},
		{`console.log({n: new Number(3), s: new String('x'), g: { get a() { return 1 } }, o: Object.create(null)})`, "info { n: [Number: 3], s: [String: 'x'], g: { a: [Getter] }, o: [Object: null prototype] {} }"},
		{`class A {}; class B extends A {}; console.log(B, {[Symbol.for('nodejs.util.inspect.custom')]() { return 'custom' }})`, "info [class B extends A] custom"},
		{`console.error(function foo() {}, class Bar {}, Symbol("s"), 10n)`, "error [Function: foo] [class Bar] Symbol(s) 10n"},
		{`console.log(new ArrayBuffer(2))`, "info ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }"},
		{`console.log(Promise.resolve(4))`, "info Promise { 4 }"},
		{`console.assert(1 === 2, "math", "broke")`, "error Assertion failed: math broke"},
		{`console.count(); console.count()`, "info default: 2"},
	}
	for _, c := range cases {
		lines := run(t, c.src)
		if got := lines[len(lines)-1]; got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestErrorShowsStackWithScriptPosition(t *testing.T) {
	lines := run(t, "function f() { return new Error('bad') }\nconsole.error(f())")
	if len(lines) != 1 || !strings.Contains(lines[0], "Error: bad") || !strings.Contains(lines[0], "console_test.js:1:") {
		t.Fatalf("got %q", lines)
	}
}

func TestGroupIndents(t *testing.T) {
	lines := run(t, `console.group("g"); console.log("in"); console.groupEnd(); console.log("out")`)
	if strings.Join(lines, "|") != "info g|info   in|info out" {
		t.Fatalf("got %q", lines)
	}
}
