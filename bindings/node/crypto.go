package node

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	crand "crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"hash"
	"strings"

	"github.com/dop251/goja"
	"golang.org/x/crypto/scrypt"

	"github.com/sockw/sockw/bindings/internal/webidl"
)

// cryptoHashes are the digests node:crypto offers, by canonical name.
var cryptoHashes = map[string]func() hash.Hash{
	"md5":        md5.New,
	"sha1":       sha1.New,
	"sha224":     sha256.New224,
	"sha256":     sha256.New,
	"sha384":     sha512.New384,
	"sha512":     sha512.New,
	"sha512-224": sha512.New512_224,
	"sha512-256": sha512.New512_256,
	"sha3-224":   func() hash.Hash { return sha3.New224() },
	"sha3-256":   func() hash.Hash { return sha3.New256() },
	"sha3-384":   func() hash.Hash { return sha3.New384() },
	"sha3-512":   func() hash.Hash { return sha3.New512() },
}

// cryptoHashNames is what getHashes lists: OpenSSL's names for the digests
// above, as Node lists them.
var cryptoHashNames = []string{
	"RSA-MD5", "RSA-SHA1", "RSA-SHA224", "RSA-SHA256", "RSA-SHA3-224", "RSA-SHA3-256", "RSA-SHA3-384",
	"RSA-SHA3-512", "RSA-SHA384", "RSA-SHA512", "RSA-SHA512/224", "RSA-SHA512/256", "md5",
	"md5WithRSAEncryption", "sha1", "sha1WithRSAEncryption", "sha224", "sha224WithRSAEncryption", "sha256",
	"sha256WithRSAEncryption", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha384",
	"sha384WithRSAEncryption", "sha512", "sha512-224", "sha512-224WithRSAEncryption", "sha512-256",
	"sha512-256WithRSAEncryption", "sha512WithRSAEncryption",
}

// cryptoHash finds a digest the way OpenSSL names them: in any case, with
// or without an RSA- prefix or WithRSAEncryption suffix, and in the SHA-256,
// SHA2-256 and SHA512/224 spellings.
func cryptoHash(name string) func() hash.Hash {
	n := strings.ToLower(name)
	n = strings.TrimPrefix(n, "rsa-")
	n = strings.TrimSuffix(n, "withrsaencryption")
	if rest, ok := strings.CutPrefix(n, "sha2-"); ok {
		n = "sha" + rest
	} else if rest, ok := strings.CutPrefix(n, "sha-"); ok {
		n = "sha" + rest
	}
	n = strings.Replace(n, "/", "-", 1)
	return cryptoHashes[n]
}

// hashState is the Go half of a Hash or Hmac object: the running digest,
// fed incrementally. Event loop only.
type hashState struct {
	h hash.Hash
}

// installCrypto provides node:crypto's hashing, randomness and key
// derivation, under internal.crypto.
func (b *Binding) installCrypto(o *goja.Object) error {
	rt := b.rt
	c := rt.NewObject()
	var buf *webidl.BufferSource
	bufs := func() *webidl.BufferSource {
		if buf == nil {
			var err error
			if buf, err = webidl.NewBufferSource(rt); err != nil {
				panic(rt.NewTypeError("node:crypto: " + err.Error()))
			}
		}
		return buf
	}
	// data reads a string in an encoding, or the bytes of a BufferSource,
	// aliasing the script's memory.
	data := func(v, enc goja.Value) []byte {
		if s, ok := v.(goja.String); ok {
			e, _ := cryptoEncodingOf(enc)
			return encode(s, e)
		}
		p, ok := bufs().Bytes(v)
		if !ok {
			panic(rt.NewTypeError("node:crypto: not a string or BufferSource"))
		}
		return p
	}
	state := func(v goja.Value) *hashState {
		s, ok := v.Export().(*hashState)
		if !ok {
			panic(rt.NewTypeError("node:crypto: not a hash"))
		}
		return s
	}
	// callback hands the result of work run on another goroutine to cb,
	// on the loop, as cb(null, value).
	callback := func(cb goja.Value, work func() any, finish func(any) goja.Value) {
		fn, ok := goja.AssertFunction(cb)
		if !ok {
			panic(rt.NewTypeError("node:crypto: callback is not a function"))
		}
		done := b.h.Loop.RegisterCallback()
		go func() {
			res := work()
			done(func() error {
				_, err := fn(goja.Undefined(), goja.Null(), finish(res))
				return err
			})
		}()
	}
	u8 := func(res any) goja.Value { return bufs().Uint8ArrayOf(res.([]byte)) }
	// run does work now, or on another goroutine if cb is a function.
	run := func(cb goja.Value, work func() any, finish func(any) goja.Value) goja.Value {
		if goja.IsUndefined(cb) {
			return finish(work())
		}
		callback(cb, work, finish)
		return goja.Undefined()
	}
	set := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = c.Set(name, fn)
	}

	set("hashes", func(goja.FunctionCall) goja.Value {
		names := make([]any, len(cryptoHashNames))
		for i, n := range cryptoHashNames {
			names[i] = n
		}
		return rt.NewArray(names...)
	})
	set("hash", func(call goja.FunctionCall) goja.Value {
		newHash := cryptoHash(call.Argument(0).String())
		if newHash == nil {
			return goja.Null()
		}
		return rt.ToValue(&hashState{h: newHash()})
	})
	set("hmac", func(call goja.FunctionCall) goja.Value {
		newHash := cryptoHash(call.Argument(0).String())
		if newHash == nil {
			return goja.Null()
		}
		return rt.ToValue(&hashState{h: hmac.New(newHash, data(call.Argument(1), call.Argument(2)))})
	})
	set("update", func(call goja.FunctionCall) goja.Value {
		state(call.Argument(0)).h.Write(data(call.Argument(1), call.Argument(2)))
		return goja.Undefined()
	})
	set("digest", func(call goja.FunctionCall) goja.Value {
		sum := state(call.Argument(0)).h.Sum(nil)
		if enc, ok := cryptoEncodingOf(call.Argument(1)); ok {
			return decode(rt, sum, enc)
		}
		return bufs().Uint8ArrayOf(sum)
	})
	set("copy", func(call goja.FunctionCall) goja.Value {
		clone, err := state(call.Argument(0)).h.(hash.Cloner).Clone()
		if err != nil {
			panic(rt.NewGoError(err))
		}
		return rt.ToValue(&hashState{h: clone})
	})
	set("randomBytes", func(call goja.FunctionCall) goja.Value {
		p := make([]byte, call.Argument(0).ToInteger())
		_, _ = crand.Read(p) // never fails on supported platforms
		return bufs().Uint8ArrayOf(p)
	})
	// randomFill(view, start, end) fills bytes [start, end) of view.
	set("randomFill", func(call goja.FunctionCall) goja.Value {
		p, ok := bufs().Bytes(call.Argument(0))
		start, end := call.Argument(1).ToInteger(), call.Argument(2).ToInteger()
		if !ok || start < 0 || end < start || end > int64(len(p)) {
			panic(rt.NewTypeError("node:crypto: bad randomFill range"))
		}
		_, _ = crand.Read(p[start:end])
		return call.Argument(0)
	})
	// randomInt(min, max) is uniform in [min, max), max - min <= 2^48.
	set("randomInt", func(call goja.FunctionCall) goja.Value {
		lo, hi := call.Argument(0).ToInteger(), call.Argument(1).ToInteger()
		span := uint64(hi - lo)
		// Rejection sampling over 48 bits: the largest multiple of span
		// below 2^48 keeps every value equally likely.
		limit := (1 << 48) - (1<<48)%span
		var buf [8]byte
		for {
			_, _ = crand.Read(buf[2:])
			if x := binary.BigEndian.Uint64(buf[:]); x < limit {
				return rt.ToValue(lo + int64(x%span))
			}
		}
	})
	set("timingSafeEqual", func(call goja.FunctionCall) goja.Value {
		a, _ := bufs().Bytes(call.Argument(0))
		c, _ := bufs().Bytes(call.Argument(1))
		return rt.ToValue(subtle.ConstantTimeCompare(a, c) == 1)
	})
	// pbkdf2(password, salt, iterations, keylen, digest[, cb])
	set("pbkdf2", func(call goja.FunctionCall) goja.Value {
		password := cryptoClone(data(call.Argument(0), goja.Undefined()))
		salt := cryptoClone(data(call.Argument(1), goja.Undefined()))
		iterations, keyLen := int(call.Argument(2).ToInteger()), int(call.Argument(3).ToInteger())
		newHash := cryptoHash(call.Argument(4).String())
		if newHash == nil {
			panic(rt.NewTypeError("node:crypto: unknown digest"))
		}
		return run(call.Argument(5), func() any {
			if keyLen == 0 {
				return []byte{}
			}
			out, err := pbkdf2.Key(newHash, string(password), salt, iterations, keyLen)
			if err != nil {
				return []byte{} // only FIPS mode refuses, and it is off
			}
			return out
		}, u8)
	})
	// scrypt(password, salt, keylen, N, r, p[, cb]), the parameters checked.
	set("scrypt", func(call goja.FunctionCall) goja.Value {
		password := cryptoClone(data(call.Argument(0), goja.Undefined()))
		salt := cryptoClone(data(call.Argument(1), goja.Undefined()))
		keyLen := int(call.Argument(2).ToInteger())
		n, r, p := int(call.Argument(3).ToInteger()), int(call.Argument(4).ToInteger()), int(call.Argument(5).ToInteger())
		return run(call.Argument(6), func() any {
			if keyLen == 0 {
				return []byte{}
			}
			out, err := scrypt.Key(password, salt, n, r, p, keyLen)
			if err != nil {
				return []byte{} // the caller checked what scrypt.Key checks
			}
			return out
		}, u8)
	})
	// hkdf(digest, ikm, salt, info, keylen[, cb]) yields an ArrayBuffer.
	set("hkdf", func(call goja.FunctionCall) goja.Value {
		newHash := cryptoHash(call.Argument(0).String())
		if newHash == nil {
			panic(rt.NewTypeError("node:crypto: unknown digest"))
		}
		ikm := cryptoClone(data(call.Argument(1), goja.Undefined()))
		salt := cryptoClone(data(call.Argument(2), goja.Undefined()))
		info := string(data(call.Argument(3), goja.Undefined()))
		keyLen := int(call.Argument(4).ToInteger())
		return run(call.Argument(5), func() any {
			if keyLen == 0 {
				return []byte{}
			}
			out, err := hkdf.Key(newHash, ikm, salt, info, keyLen)
			if err != nil {
				return []byte{} // the caller checked the length
			}
			return out
		}, func(res any) goja.Value { return rt.ToValue(rt.NewArrayBuffer(res.([]byte))) })
	})
	// hashSize is the digest's output in bytes, for hkdf's length limit.
	set("hashSize", func(call goja.FunctionCall) goja.Value {
		if newHash := cryptoHash(call.Argument(0).String()); newHash != nil {
			return rt.ToValue(newHash().Size())
		}
		return goja.Undefined()
	})
	return o.Set("crypto", c)
}

// cryptoClone copies bytes that outlive the call (work on another goroutine).
func cryptoClone(p []byte) []byte { return append([]byte{}, p...) }
