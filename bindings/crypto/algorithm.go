package crypto

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"math"
	"strings"

	"github.com/dop251/goja"
)

// operation is one of the spec's operation names that algorithm
// normalization is asked about (https://w3c.github.io/webcrypto/#algorithm-normalization-normalize-an-algorithm).
type operation int

const (
	opDigest operation = iota
	opImportKey
	opGenerateKey
	opSign
	opVerify
	opDeriveBits
)

// algorithm is a registered algorithm. Each operation it supports has a
// non-nil function.
type algorithm struct {
	name string // the spec's casing, what key.algorithm.name returns
	hash *hashAlg
	// keyParams says that importKey and generateKey read the "hash" and
	// "length" members (HmacImportParams, HmacKeyGenParams).
	keyParams bool

	importKey   func(b *binding, n *normalized, format string, keyData goja.Value, extractable bool, usages []string) (*cryptoKey, *opError)
	generateKey func(b *binding, n *normalized, extractable bool, usages []string) (*cryptoKey, *opError)
	exportKey   func(b *binding, key *cryptoKey, format string) (job, *opError)
	sign        func(key *cryptoKey, data []byte) []byte
	verify      func(key *cryptoKey, signature, data []byte) bool
	// deriveParams converts the algorithm's deriveBits dictionary
	// (Pbkdf2Params) into n.
	deriveParams func(b *binding, n *normalized) *opError
	// deriveBits derives length bits (-1 for null) from key; its job's
	// result is a []byte.
	deriveBits func(b *binding, n *normalized, key *cryptoKey, length int) (job, *opError)
	// importRaw imports a secret derived by deriveKey; it runs off the loop.
	importRaw func(n *normalized, data []byte, extractable bool, usages []string) (*cryptoKey, *opError)
	// keyLength is the spec's "get key length" operation, for deriveKey:
	// the bits a key of type n needs, or -1 for null.
	keyLength func(n *normalized) (int, *opError)
	// usages are the key usages the algorithm's keys may have.
	usages []string
}

func (a *algorithm) supports(op operation) bool {
	switch op {
	case opDigest:
		return a.hash != nil
	case opImportKey:
		return a.importKey != nil
	case opGenerateKey:
		return a.generateKey != nil
	case opSign:
		return a.sign != nil
	case opVerify:
		return a.verify != nil
	case opDeriveBits:
		return a.deriveBits != nil
	}
	return false
}

// hashAlg is a SHA algorithm.
type hashAlg struct {
	new       func() hash.Hash
	blockBits int    // HMAC's default key length
	jwkHMAC   string // the JWK "alg" of HMAC keys using this hash
}

func (h *hashAlg) sum(data []byte) []byte {
	d := h.new()
	d.Write(data)
	return d.Sum(nil)
}

// registry maps lowercased algorithm names to algorithms. It is never
// written after init.
var registry = map[string]*algorithm{
	"sha-1":   {name: "SHA-1", hash: &hashAlg{sha1.New, 512, "HS1"}},
	"sha-256": {name: "SHA-256", hash: &hashAlg{sha256.New, 512, "HS256"}},
	"sha-384": {name: "SHA-384", hash: &hashAlg{sha512.New384, 1024, "HS384"}},
	"sha-512": {name: "SHA-512", hash: &hashAlg{sha512.New, 1024, "HS512"}},
	"hmac":    hmacAlgorithm,
	"pbkdf2":  pbkdf2Algorithm,
}

// normalized is a normalized algorithm: the registry entry plus the members
// of the dictionary that the operation reads.
type normalized struct {
	*algorithm
	params *goja.Object // nil when the identifier was a string
	// hashOf is the "hash" member (HMAC import and generate).
	hashOf *algorithm
	// length is the optional "length" member, -1 when absent.
	length int
	// salt and iterations are Pbkdf2Params' members; salt is a copy.
	salt       []byte
	iterations int
}

// normalize implements "normalize an algorithm" for op.
func (b *binding) normalize(v goja.Value, op operation) (*normalized, *opError) {
	var name string
	params, isObj := v.(*goja.Object)
	if isObj {
		nv := params.Get("name")
		if nv == nil || goja.IsUndefined(nv) {
			return nil, newError("TypeError", "Algorithm: name: Missing or not a string")
		}
		name = nv.String()
	} else {
		name = v.String()
		params = nil
	}
	alg := registry[strings.ToLower(name)]
	if alg == nil || !alg.supports(op) {
		return nil, newError("NotSupportedError", "Unrecognized algorithm name")
	}
	n := &normalized{algorithm: alg, params: params, length: -1}
	if alg.keyParams && (op == opImportKey || op == opGenerateKey) {
		hv := member(params, "hash")
		if goja.IsUndefined(hv) {
			return nil, newError("TypeError", "HmacImportParams: hash: Missing")
		}
		h, err := b.normalize(hv, opDigest)
		if err != nil {
			return nil, err
		}
		n.hashOf = h.algorithm
		if lv := member(params, "length"); !goja.IsUndefined(lv) {
			l, err := enforceRange(lv, "length")
			if err != nil {
				return nil, err
			}
			n.length = l
		}
	}
	if op == opDeriveBits && alg.deriveParams != nil {
		if err := alg.deriveParams(b, n); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// member reads a dictionary member of a possibly absent dictionary.
func member(o *goja.Object, name string) goja.Value {
	if o == nil {
		return goja.Undefined()
	}
	if v := o.Get(name); v != nil {
		return v
	}
	return goja.Undefined()
}

// enforceRange is WebIDL's [EnforceRange] unsigned long conversion.
func enforceRange(v goja.Value, what string) (int, *opError) {
	f := v.ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, newError("TypeError", what+" is not a finite number")
	}
	f = math.Trunc(f)
	if f < 0 || f > math.MaxUint32 {
		return 0, newError("TypeError", what+" is outside the range of an unsigned long")
	}
	return int(f), nil
}
