package crypto

import (
	"slices"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// cryptoKey is a CryptoKey's internal slots
// (https://w3c.github.io/webcrypto/#cryptokey-interface). Only secret keys
// exist so far.
type cryptoKey struct {
	webidl.Expandos
	alg         *algorithm
	hash        *algorithm // HMAC's hash
	lengthBits  int
	extractable bool
	usages      []string
	secret      []byte

	// Event loop only: the objects the algorithm and usages getters return,
	// made on first use and then always the same ones, as the spec caches.
	algObj, usagesObj *goja.Object
}

func (b *binding) defineCryptoKey(proto *goja.Object) {
	rt := b.rt
	key := func(call goja.FunctionCall, name string) *cryptoKey {
		k, ok := webidl.SlotsOf[*cryptoKey](call.This)
		if !ok {
			panic(b.errs.TypeError("Failed to execute '" + name + "' on 'CryptoKey': Illegal invocation"))
		}
		return k
	}
	webidl.Getter(rt, proto, "type", func(call goja.FunctionCall) goja.Value {
		key(call, "type")
		return rt.ToValue("secret")
	})
	webidl.Getter(rt, proto, "extractable", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(key(call, "extractable").extractable)
	})
	webidl.Getter(rt, proto, "algorithm", func(call goja.FunctionCall) goja.Value {
		k := key(call, "algorithm")
		if k.algObj == nil {
			k.algObj = rt.NewObject()
			_ = k.algObj.Set("name", k.alg.name)
			if k.hash != nil {
				h := rt.NewObject()
				_ = h.Set("name", k.hash.name)
				_ = k.algObj.Set("hash", h)
			}
			if k.lengthBits > 0 {
				_ = k.algObj.Set("length", k.lengthBits)
			}
		}
		return k.algObj
	})
	webidl.Getter(rt, proto, "usages", func(call goja.FunctionCall) goja.Value {
		k := key(call, "usages")
		if k.usagesObj == nil {
			items := make([]any, len(k.usages))
			for i, u := range k.usages {
				items[i] = u
			}
			k.usagesObj = rt.NewArray(items...)
		}
		return k.usagesObj
	})
}

func (b *binding) newKey(k *cryptoKey) *goja.Object {
	return webidl.NewInstance(b.rt, b.keyProto, k)
}

// keyArg checks that v is a CryptoKey made for n's algorithm that may be
// used for usage.
func (b *binding) keyArg(v goja.Value, n *normalized, usage string) (*cryptoKey, *opError) {
	k, ok := webidl.SlotsOf[*cryptoKey](v)
	if !ok {
		return nil, newError("TypeError", "parameter 'key' is not of type 'CryptoKey'.")
	}
	if k.alg != n.algorithm {
		return nil, newError("InvalidAccessError", "The requested operation is not valid for the provided key: it is a "+k.alg.name+" key")
	}
	if !slices.Contains(k.usages, usage) {
		return nil, newError("InvalidAccessError", "The requested operation is not valid for the provided key: its usages do not include '"+usage+"'")
	}
	return k, nil
}

// keyUsages converts a sequence<KeyUsage>, in the spec's order, with
// duplicates removed as the spec's "normalized usages" are.
func (b *binding) keyUsages(v goja.Value) ([]string, *opError) {
	if _, ok := v.(*goja.Object); !ok {
		return nil, newError("TypeError", "parameter 'keyUsages' is not an iterable sequence.")
	}
	var seen []string
	var bad string
	invalid := false
	b.rt.ForOf(v, func(cur goja.Value) bool {
		u := cur.String()
		switch u {
		case "encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey":
			if !slices.Contains(seen, u) {
				seen = append(seen, u)
			}
			return true
		}
		bad, invalid = u, true
		return false
	})
	if invalid {
		return nil, newError("TypeError", "'"+bad+"' is not a valid KeyUsage")
	}
	return seen, nil
}

// checkUsages is the algorithms' "if usages contains an entry which is not
// ... then throw a SyntaxError".
func checkUsages(usages, allowed []string) *opError {
	for _, u := range usages {
		if !slices.Contains(allowed, u) {
			return newError("SyntaxError", "Cannot create a key using the specified key usages: '"+u+"'")
		}
	}
	return nil
}

var keyFormats = []string{"raw", "spki", "pkcs8", "jwk"}

// importKey implements SubtleCrypto.importKey.
func (b *binding) importKey(call goja.FunctionCall) (job, *opError) {
	format := call.Argument(0).String()
	if !slices.Contains(keyFormats, format) {
		return job{}, newError("TypeError", "'"+format+"' is not a valid KeyFormat")
	}
	keyData := call.Argument(1)
	n, err := b.normalize(call.Argument(2), opImportKey)
	if err != nil {
		return job{}, err
	}
	extractable := call.Argument(3).ToBoolean()
	usages, err := b.keyUsages(call.Argument(4))
	if err != nil {
		return job{}, err
	}
	k, err := n.importKey(b, n, format, keyData, extractable, usages)
	if err != nil {
		return job{}, err
	}
	if err := checkUsagesNotEmpty(k); err != nil {
		return job{}, err
	}
	return b.keyJob(k), nil
}

// generateKey implements SubtleCrypto.generateKey for secret keys.
func (b *binding) generateKey(call goja.FunctionCall) (job, *opError) {
	n, err := b.normalize(call.Argument(0), opGenerateKey)
	if err != nil {
		return job{}, err
	}
	extractable := call.Argument(1).ToBoolean()
	usages, err := b.keyUsages(call.Argument(2))
	if err != nil {
		return job{}, err
	}
	k, err := n.generateKey(b, n, extractable, usages)
	if err != nil {
		return job{}, err
	}
	if err := checkUsagesNotEmpty(k); err != nil {
		return job{}, err
	}
	return b.keyJob(k), nil
}

// checkUsagesNotEmpty is the step importKey, generateKey and deriveKey share:
// a secret or private key made with no usages is a SyntaxError.
func checkUsagesNotEmpty(k *cryptoKey) *opError {
	if len(k.usages) == 0 {
		return newError("SyntaxError", "Usages cannot be empty when creating a key.")
	}
	return nil
}

func (b *binding) keyJob(k *cryptoKey) job {
	return job{
		work:   func() (any, *opError) { return k, nil },
		finish: func(res any) goja.Value { return b.newKey(res.(*cryptoKey)) },
	}
}

// exportKey implements SubtleCrypto.exportKey.
func (b *binding) exportKey(call goja.FunctionCall) (job, *opError) {
	format := call.Argument(0).String()
	if !slices.Contains(keyFormats, format) {
		return job{}, newError("TypeError", "'"+format+"' is not a valid KeyFormat")
	}
	k, ok := webidl.SlotsOf[*cryptoKey](call.Argument(1))
	if !ok {
		return job{}, newError("TypeError", "parameter 'key' is not of type 'CryptoKey'.")
	}
	if k.alg.exportKey == nil {
		return job{}, newError("NotSupportedError", k.alg.name+" keys cannot be exported")
	}
	if !k.extractable {
		return job{}, newError("InvalidAccessError", "key is not extractable")
	}
	return k.alg.exportKey(b, k, format)
}

// sign implements SubtleCrypto.sign.
func (b *binding) sign(call goja.FunctionCall) (job, *opError) {
	n, err := b.normalize(call.Argument(0), opSign)
	if err != nil {
		return job{}, err
	}
	k, err := b.keyArg(call.Argument(1), n, "sign")
	if err != nil {
		return job{}, err
	}
	data, err := b.copyBytes(call.Argument(2), "data")
	if err != nil {
		return job{}, err
	}
	return job{
		size:   len(data),
		work:   func() (any, *opError) { return n.sign(k, data), nil },
		finish: b.arrayBuffer,
	}, nil
}

// verify implements SubtleCrypto.verify.
func (b *binding) verify(call goja.FunctionCall) (job, *opError) {
	n, err := b.normalize(call.Argument(0), opVerify)
	if err != nil {
		return job{}, err
	}
	k, err := b.keyArg(call.Argument(1), n, "verify")
	if err != nil {
		return job{}, err
	}
	sig, err := b.copyBytes(call.Argument(2), "signature")
	if err != nil {
		return job{}, err
	}
	data, err := b.copyBytes(call.Argument(3), "data")
	if err != nil {
		return job{}, err
	}
	return job{
		size:   len(data),
		work:   func() (any, *opError) { return n.verify(k, sig, data), nil },
		finish: func(res any) goja.Value { return b.rt.ToValue(res.(bool)) },
	}, nil
}
