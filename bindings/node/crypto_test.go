package node

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/crypto"
	"github.com/sockw/sockw/bindings/timers"
	"github.com/sockw/sockw/runtime/bundle"
)

// nodeEnv is a test isolate in which scripts import the Node modules.
type nodeEnv struct {
	*bindingstest.Env
	binding *Binding
	mods    bundle.BuiltinModules
}

func newNodeEnv(t testing.TB) *nodeEnv {
	t.Helper()
	e := bindingstest.New(t)
	if err := crypto.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	if err := timers.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	sources, err := Sources()
	if err != nil {
		t.Fatal(err)
	}
	mods := bundle.BuiltinModules{InternalModule: {}}
	for name, src := range sources {
		mods[name] = bundle.Module{Source: src, Globals: name == GlobalsModule}
	}
	return &nodeEnv{Env: e, binding: New(e.Host, Options{}), mods: mods}
}

// run bundles src as an exec script and runs it and the loop to the end.
func (e *nodeEnv) run(t testing.TB, src string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.mjs")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Build(path, bundle.Exec, e.mods)
	if err != nil {
		t.Fatal(err)
	}
	rt := e.Runtime
	var failure goja.Value
	err = e.Loop.RunOnLoop(func() error {
		wrapper, err := rt.RunProgram(b.Program())
		if err != nil {
			return err
		}
		fn, _ := goja.AssertFunction(wrapper)
		resolve := rt.ToValue(func(call goja.FunctionCall) goja.Value {
			v, err := e.binding.Internal()
			if err != nil {
				panic(rt.NewGoError(err))
			}
			return v
		})
		ret, err := fn(goja.Undefined(), resolve)
		if err != nil {
			return err
		}
		then, _ := goja.AssertFunction(ret.ToObject(rt).Get("then"))
		_, err = then(ret, goja.Undefined(), rt.ToValue(func(call goja.FunctionCall) goja.Value {
			failure = call.Argument(0)
			return goja.Undefined()
		}))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Run("loop.js", "", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if failure != nil {
		t.Fatal(failure)
	}
}

// TestPBKDF2OffTheLoop checks that pbkdf2 with a callback returns before
// the derivation is done: a timer set after it fires first.
func TestPBKDF2OffTheLoop(t *testing.T) {
	e := newNodeEnv(t)
	e.run(t, `
		import { pbkdf2 } from 'node:crypto';
		const order = [];
		await new Promise((resolve) => {
			pbkdf2('password', 'salt', 300000, 32, 'sha256', (err, key) => { order.push('derived ' + key.length); resolve(); });
			setTimeout(() => order.push('timer'), 0);
		});
		if (order.join() !== 'timer,derived 32') throw new Error('order: ' + order.join());
	`)
}

func TestCryptoHashNames(t *testing.T) {
	for name, canonical := range map[string]string{
		"sha256": "sha256", "SHA256": "sha256", "RSA-SHA256": "sha256", "sha-256": "sha256",
		"SHA2-512": "sha512", "sha512/256": "sha512-256", "RSA-SHA512/224": "sha512-224",
		"md5WithRSAEncryption": "md5", "sha3-256": "sha3-256", "RSA-SHA3-512": "sha3-512",
	} {
		got, want := cryptoHash(name), cryptoHashes[canonical]
		if got == nil || got().Size() != want().Size() {
			t.Errorf("%s: not %s", name, canonical)
		}
	}
	for _, name := range []string{"sha257", "", "rsa-", "sha", "shake128"} {
		if cryptoHash(name) != nil {
			t.Errorf("%q names a digest", name)
		}
	}
	for _, name := range cryptoHashNames {
		if cryptoHash(name) == nil {
			t.Errorf("getHashes lists %s, which createHash refuses", name)
		}
	}
}

func TestCryptoDecodeUTF8(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{[]byte("abc"), "abc"},
		{[]byte{0xE2, 0x82, 0xAC}, "€"},
		{[]byte{0xE2, 0x82, 'a'}, "\uFFFDa"},                         // a truncated sequence is one U+FFFD
		{[]byte{0xF1, 0xB6, 0xA8, '1'}, "\uFFFD1"},                   // so is a truncated four-byte one
		{[]byte{0xC0, 0xAF}, "\uFFFD\uFFFD"},                         // an overlong lead is invalid alone
		{[]byte{0xED, 0xA0, 0x80}, "\uFFFD\uFFFD\uFFFD"},             // a surrogate's second byte is out of range
		{[]byte{0xF4, 0x90, 0x80, 0x80}, "\uFFFD\uFFFD\uFFFD\uFFFD"}, // above U+10FFFF
		{[]byte{0xE0, 0xA0}, "\uFFFD"},
	} {
		if got := string(replaceInvalidUTF8(c.in)); got != c.want {
			t.Errorf("% x: got %+q, want %+q", c.in, got, c.want)
		}
	}
}

func TestCryptoDecodeBase64(t *testing.T) {
	for in, want := range map[string]string{
		"YWJj": "abc", "YWJjZA==": "abcd", "YWJjZA": "abcd", "YW Jj\n": "abc", "_-8": "\xff\xef",
		"YQ==YWJj": "a", "YWJjZ": "abc", "": "",
	} {
		if got := string(decodeBase64(in)); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

const benchHashScript = `
	import { createHash } from 'node:crypto';
	const data = new Uint8Array(1024).fill(7);
	globalThis.bench = () => createHash('sha256').update(data).digest('hex');
`

const benchPBKDF2Script = `
	import { pbkdf2Sync } from 'node:crypto';
	const salt = new Uint8Array(16).fill(1);
	globalThis.bench = () => pbkdf2Sync('pencil', salt, 4096, 32, 'sha256');
`

func benchScript(b *testing.B, src string) {
	e := newNodeEnv(b)
	e.run(b, src)
	fn, ok := goja.AssertFunction(e.Runtime.Get("bench"))
	if !ok {
		b.Fatal("no bench function")
	}
	for b.Loop() {
		if _, err := fn(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateHashSHA256 is createHash('sha256').update(1 KiB).digest('hex');
// BenchmarkGoSHA256 is the same work in Go, its floor.
func BenchmarkCreateHashSHA256(b *testing.B) { benchScript(b, benchHashScript) }

func BenchmarkGoSHA256(b *testing.B) {
	data := make([]byte, 1024)
	for b.Loop() {
		h := sha256.New()
		h.Write(data)
		_ = hex.EncodeToString(h.Sum(nil))
	}
}

// BenchmarkPBKDF2Sync is pbkdf2Sync(..., 4096, 32, 'sha256'), SCRAM's
// derivation; BenchmarkGoPBKDF2 is the same in Go.
func BenchmarkPBKDF2Sync(b *testing.B) { benchScript(b, benchPBKDF2Script) }

func BenchmarkGoPBKDF2(b *testing.B) {
	salt := make([]byte, 16)
	for b.Loop() {
		if _, err := pbkdf2.Key(sha256.New, "pencil", salt, 4096, 32); err != nil {
			b.Fatal(err)
		}
	}
}
