package crypto

import (
	"testing"
	"time"

	"github.com/dop251/goja"
)

func benchFunc(b *testing.B, setup string) goja.Callable {
	e := newEnv(b)
	v, err := e.Runtime.RunString(setup)
	if err != nil {
		b.Fatal(err)
	}
	f, _ := goja.AssertFunction(v)
	return f
}

// BenchmarkDigestSHA256 measures crypto.subtle.digest('SHA-256', 1 KiB) up
// to the returned promise; it resolves with the microtasks of the same task.
func BenchmarkDigestSHA256(b *testing.B) {
	f := benchFunc(b, `(() => { const d = new Uint8Array(1024).fill(7); return () => crypto.subtle.digest('SHA-256', d); })()`)
	for b.Loop() {
		if _, err := f(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetRandomValues(b *testing.B) {
	f := benchFunc(b, `(() => { const d = new Uint8Array(16); return () => crypto.getRandomValues(d); })()`)
	for b.Loop() {
		if _, err := f(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstall measures Install on fresh runtimes, made in batches
// outside the timer (StopTimer stops the world, so not once per install).
func BenchmarkInstall(b *testing.B) {
	e := newEnv(b)
	rts := make([]*goja.Runtime, 100)
	b.ReportAllocs()
	for n := 0; n < b.N; n += len(rts) {
		b.StopTimer()
		for i := range rts {
			rts[i] = goja.New()
		}
		b.StartTimer()
		for i := 0; i < len(rts) && n+i < b.N; i++ {
			e.Runtime = rts[i]
			if err := Install(e.Host); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestPBKDF2 checks what the conformance suite cannot, since Node departs
// from the spec there: a PBKDF2 key's export fails as an unsupported
// operation, an HMAC length of zero is a TypeError in deriveKey, and a
// costly derivation runs off the loop: the call returns before the work.
func TestPBKDF2(t *testing.T) {
	e := newEnv(t)
	err := e.Run("pbkdf2.js", `
		const fail = (msg) => { throw new Error(msg); };
		const pw = new Uint8Array([112, 119]);
		const params = { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(8), iterations: 200000 };
		crypto.subtle.importKey('raw', pw, 'PBKDF2', false, ['deriveBits', 'deriveKey']).then(async (k) => {
			await crypto.subtle.exportKey('raw', k).then(() => fail('exported'),
				(e) => e.name === 'NotSupportedError' || fail('export: ' + e.name));
			await crypto.subtle.deriveKey(params, k, { name: 'HMAC', hash: 'SHA-256', length: 0 }, false, ['sign']).then(
				() => fail('derived'), (e) => e instanceof TypeError || fail('length 0: ' + e.name));
			const t0 = Date.now();
			const p = crypto.subtle.deriveBits(params, k, 256);
			const call = Date.now() - t0;
			if ((await p).byteLength !== 32) fail('length');
			const total = Date.now() - t0;
			if (call * 4 > total) fail('deriveBits took ' + call + ' ms of ' + total + ' ms on the loop');
		});
	`, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// TestPBKDF2Cost checks that SCRAM's derivation (4096 iterations) counts as
// costly, and a single iteration does not.
func TestPBKDF2Cost(t *testing.T) {
	n := &normalized{algorithm: pbkdf2Algorithm, hashOf: registry["sha-256"], salt: []byte("salt")}
	key := &cryptoKey{alg: pbkdf2Algorithm, secret: []byte("pw")}
	for _, c := range []struct {
		iterations int
		async      bool
	}{{4096, true}, {1, false}} {
		n.iterations = c.iterations
		j, err := pbkdf2DeriveBits(nil, n, key, 256)
		if err != nil {
			t.Fatal(err)
		}
		if got := j.size > asyncThreshold; got != c.async {
			t.Errorf("%d iterations: off the loop = %v, want %v", c.iterations, got, c.async)
		}
	}
}
