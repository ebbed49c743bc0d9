package crypto

import (
	"crypto/hmac"
	crand "crypto/rand"
	"encoding/base64"
	"slices"

	"github.com/dop251/goja"
)

// hmacAlgorithm is HMAC (https://w3c.github.io/webcrypto/#hmac).
var hmacAlgorithm = &algorithm{
	name:        "HMAC",
	keyParams:   true,
	importKey:   hmacImportKey,
	generateKey: hmacGenerateKey,
	exportKey:   hmacExportKey,
	importRaw: func(n *normalized, data []byte, extractable bool, usages []string) (*cryptoKey, *opError) {
		if err := checkUsages(usages, n.usages); err != nil {
			return nil, err
		}
		return newHMACKey(n, data, extractable, usages)
	},
	keyLength: hmacKeyLength,
	sign:      hmacSign,
	verify: func(k *cryptoKey, sig, data []byte) bool {
		return hmac.Equal(hmacSign(k, data), sig)
	},
	usages: []string{"sign", "verify"},
}

func hmacSign(k *cryptoKey, data []byte) []byte {
	m := hmac.New(k.hash.hash.new, k.secret)
	m.Write(data)
	return m.Sum(nil)
}

func hmacImportKey(b *binding, n *normalized, format string, keyData goja.Value, extractable bool, usages []string) (*cryptoKey, *opError) {
	if err := checkUsages(usages, n.usages); err != nil {
		return nil, err
	}
	hash := n.hashOf
	var data []byte
	switch format {
	case "raw":
		p, err := b.copyBytes(keyData, "keyData")
		if err != nil {
			return nil, err
		}
		data = p
	case "jwk":
		jwk, ok := keyData.(*goja.Object)
		if !ok || b.bufs().IsBufferSource(keyData) {
			return nil, newError("TypeError", "Key data must be an object for JWK import")
		}
		if member(jwk, "kty").String() != "oct" {
			return nil, newError("DataError", "The JWK member 'kty' must be 'oct'")
		}
		k := member(jwk, "k")
		if goja.IsUndefined(k) {
			return nil, newError("DataError", "The JWK member 'k' is missing")
		}
		p, err := base64.RawURLEncoding.DecodeString(k.String())
		if err != nil {
			return nil, newError("DataError", "The JWK member 'k' is not valid base64url")
		}
		data = p
		if alg := member(jwk, "alg"); !goja.IsUndefined(alg) && alg.String() != hash.hash.jwkHMAC {
			return nil, newError("DataError", "The JWK member 'alg' does not match the hash: want "+hash.hash.jwkHMAC)
		}
		if use := member(jwk, "use"); len(usages) > 0 && !goja.IsUndefined(use) && use.String() != "sig" {
			return nil, newError("DataError", "The JWK member 'use' must be 'sig'")
		}
		if ops := member(jwk, "key_ops"); !goja.IsUndefined(ops) {
			list, err := b.keyUsages(ops)
			if err != nil {
				return nil, newError("DataError", "The JWK member 'key_ops' is invalid")
			}
			for _, u := range usages {
				if !slices.Contains(list, u) {
					return nil, newError("DataError", "The JWK member 'key_ops' does not include '"+u+"'")
				}
			}
		}
		if ext := member(jwk, "ext"); !goja.IsUndefined(ext) && !ext.ToBoolean() && extractable {
			return nil, newError("DataError", "The JWK is not extractable ('ext' is false)")
		}
	default:
		return nil, newError("NotSupportedError", "HMAC keys cannot be imported from '"+format+"'")
	}
	return newHMACKey(n, data, extractable, usages)
}

// newHMACKey ends HMAC's import key operation: the key data checked against
// the requested length.
func newHMACKey(n *normalized, data []byte, extractable bool, usages []string) (*cryptoKey, *opError) {
	length := len(data) * 8
	if length == 0 {
		return nil, newError("DataError", "HMAC key data must not be empty")
	}
	if n.length >= 0 {
		if n.length > length || n.length <= length-8 {
			return nil, newError("DataError", "The key length does not match the key data")
		}
		length = n.length
	}
	return &cryptoKey{alg: n.algorithm, hash: n.hashOf, lengthBits: length, extractable: extractable,
		usages: usages, secret: data}, nil
}

// hmacKeyLength is HMAC's "get key length": the hash's block size unless a
// length is given, which must not be zero.
func hmacKeyLength(n *normalized) (int, *opError) {
	switch n.length {
	case -1:
		return n.hashOf.hash.blockBits, nil
	case 0:
		return 0, newError("TypeError", "HmacImportParams: length must not be zero")
	}
	return n.length, nil
}

func hmacGenerateKey(b *binding, n *normalized, extractable bool, usages []string) (*cryptoKey, *opError) {
	if err := checkUsages(usages, n.usages); err != nil {
		return nil, err
	}
	length := n.hashOf.hash.blockBits
	if n.length == 0 {
		return nil, newError("OperationError", "HMAC key length must not be zero")
	} else if n.length > 0 {
		length = n.length
	}
	secret := make([]byte, (length+7)/8)
	_, _ = crand.Read(secret)
	if r := length % 8; r != 0 {
		secret[len(secret)-1] &= 0xFF << (8 - r) // only length bits are key
	}
	return &cryptoKey{alg: n.algorithm, hash: n.hashOf, lengthBits: length, extractable: extractable,
		usages: usages, secret: secret}, nil
}

func hmacExportKey(b *binding, k *cryptoKey, format string) (job, *opError) {
	switch format {
	case "raw":
		secret := append([]byte{}, k.secret...)
		return job{work: func() (any, *opError) { return secret, nil }, finish: b.arrayBuffer}, nil
	case "jwk":
		return job{
			work: func() (any, *opError) { return nil, nil },
			finish: func(any) goja.Value {
				jwk := b.rt.NewObject()
				_ = jwk.Set("kty", "oct")
				_ = jwk.Set("k", base64.RawURLEncoding.EncodeToString(k.secret))
				_ = jwk.Set("alg", k.hash.hash.jwkHMAC)
				ops := make([]any, len(k.usages))
				for i, u := range k.usages {
					ops[i] = u
				}
				_ = jwk.Set("key_ops", b.rt.NewArray(ops...))
				_ = jwk.Set("ext", k.extractable)
				return jwk
			},
		}, nil
	}
	return job{}, newError("NotSupportedError", "HMAC keys cannot be exported as '"+format+"'")
}
