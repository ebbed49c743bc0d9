package crypto

import (
	"crypto/pbkdf2"

	"github.com/dop251/goja"
)

// pbkdf2Algorithm is PBKDF2 (https://w3c.github.io/webcrypto/#pbkdf2): a
// password imported as a key that only derives bits or other keys. SCRAM
// (postgres.js) derives with it on every connection.
var pbkdf2Algorithm = &algorithm{
	name: "PBKDF2",
	importKey: func(b *binding, n *normalized, format string, keyData goja.Value, extractable bool, usages []string) (*cryptoKey, *opError) {
		if format != "raw" {
			return nil, newError("NotSupportedError", "PBKDF2 keys cannot be imported from '"+format+"'")
		}
		if err := checkUsages(usages, n.usages); err != nil {
			return nil, err
		}
		data, err := b.copyBytes(keyData, "keyData")
		if err != nil {
			return nil, err
		}
		return newPBKDF2Key(n, data, extractable, usages)
	},
	importRaw: func(n *normalized, data []byte, extractable bool, usages []string) (*cryptoKey, *opError) {
		if err := checkUsages(usages, n.usages); err != nil {
			return nil, err
		}
		return newPBKDF2Key(n, data, extractable, usages)
	},
	// A password has no natural length: deriving a PBKDF2 key fails with
	// deriveBits' "length is null".
	keyLength:  func(*normalized) (int, *opError) { return -1, nil },
	deriveBits: pbkdf2DeriveBits,
	usages:     []string{"deriveKey", "deriveBits"},
}

// pbkdf2Params normalizes the hash through the registry, which lists
// pbkdf2Algorithm: set here, it is not an initialization cycle.
func init() { pbkdf2Algorithm.deriveParams = pbkdf2Params }

func newPBKDF2Key(n *normalized, data []byte, extractable bool, usages []string) (*cryptoKey, *opError) {
	if extractable {
		return nil, newError("SyntaxError", "PBKDF2 keys are not extractable")
	}
	return &cryptoKey{alg: n.algorithm, usages: usages, secret: data}, nil
}

// pbkdf2Params converts Pbkdf2Params: its members in WebIDL's order (hash,
// iterations, salt), each required, then the hash normalized as a digest.
func pbkdf2Params(b *binding, n *normalized) *opError {
	hv := member(n.params, "hash")
	if goja.IsUndefined(hv) {
		return newError("TypeError", "Pbkdf2Params: hash: Missing")
	}
	iv := member(n.params, "iterations")
	if goja.IsUndefined(iv) {
		return newError("TypeError", "Pbkdf2Params: iterations: Missing")
	}
	iterations, err := enforceRange(iv, "Pbkdf2Params: iterations")
	if err != nil {
		return err
	}
	sv := member(n.params, "salt")
	if goja.IsUndefined(sv) {
		return newError("TypeError", "Pbkdf2Params: salt: Missing")
	}
	salt, err := b.copyBytes(sv, "salt")
	if err != nil {
		return err
	}
	h, err := b.normalize(hv, opDigest)
	if err != nil {
		return err
	}
	n.hashOf, n.iterations, n.salt = h.algorithm, iterations, salt
	return nil
}

// maxDeriveBits bounds what one deriveBits may ask for: the spec's length is
// an unsigned long, and -8 converts to 4 GiB of bits.
const maxDeriveBits = 1 << 30

func pbkdf2DeriveBits(b *binding, n *normalized, key *cryptoKey, length int) (job, *opError) {
	switch {
	case length < 0:
		return job{}, newError("OperationError", "length cannot be null")
	case length%8 != 0:
		return job{}, newError("OperationError", "length must be a multiple of 8")
	case n.iterations == 0:
		return job{}, newError("OperationError", "iterations cannot be zero")
	case length > maxDeriveBits:
		return job{}, newError("OperationError", "length is too large")
	}
	password, salt, h, iterations := key.secret, n.salt, n.hashOf.hash, n.iterations
	keyLen := length / 8
	blockBytes := h.blockBits / 8
	size := h.new().Size()
	// The cost is two HMAC blocks per iteration per output block; stated in
	// bytes hashed, it is what asyncThreshold compares.
	cost := 2 * iterations * blockBytes * ((keyLen + size - 1) / size)
	return job{
		size: cost,
		work: func() (any, *opError) {
			if keyLen == 0 {
				return []byte{}, nil // RFC 8018 has no empty output; the spec returns one
			}
			out, err := pbkdf2.Key(h.new, string(password), salt, iterations, keyLen)
			if err != nil {
				return nil, newError("OperationError", err.Error())
			}
			return out, nil
		},
		finish: b.arrayBuffer,
	}, nil
}
