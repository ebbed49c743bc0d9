package console

import (
	"math"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// Format renders console arguments as Node's util.format does: a leading
// string may hold %s %d %i %f %j %o %O %c and %% directives; other arguments
// are inspected and joined by spaces.
func Format(rt *goja.Runtime, args []goja.Value) string {
	var b strings.Builder
	rest := args
	if len(args) > 0 {
		if goja.IsString(args[0]) {
			s := args[0].String()
			rest = args[1:]
			i := 0
			for i < len(s) {
				c := s[i]
				if c != '%' || i+1 == len(s) {
					b.WriteByte(c)
					i++
					continue
				}
				d := s[i+1]
				if d == '%' {
					b.WriteByte('%')
					i += 2
					continue
				}
				if !strings.ContainsRune("sdifjoOc", rune(d)) || len(rest) == 0 {
					b.WriteByte(c)
					i++
					continue
				}
				arg := rest[0]
				rest = rest[1:]
				i += 2
				switch d {
				case 's':
					if goja.IsString(arg) {
						b.WriteString(arg.String())
					} else {
						inspect(rt, &b, arg, 1, nil, false)
					}
				case 'd', 'i':
					n := arg.ToFloat()
					if d == 'i' {
						n = math.Trunc(n)
					}
					b.WriteString(number(n))
				case 'f':
					b.WriteString(number(arg.ToFloat()))
				case 'j':
					if js, err := jsonString(rt, arg); err == nil {
						b.WriteString(js)
					} else {
						b.WriteString("[Circular]")
					}
				case 'o', 'O':
					inspect(rt, &b, arg, 4, nil, true)
				case 'c':
					// CSS has no meaning outside a browser console.
				}
			}
			if len(rest) > 0 {
				b.WriteByte(' ')
			}
		}
	}
	for i, a := range rest {
		if i > 0 {
			b.WriteByte(' ')
		}
		if goja.IsString(a) {
			b.WriteString(a.String())
			continue
		}
		inspect(rt, &b, a, 2, nil, false)
	}
	return b.String()
}

func jsonString(rt *goja.Runtime, v goja.Value) (string, error) {
	stringify, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	r, err := stringify(goja.Undefined(), v)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

func number(f float64) string {
	if f == 0 && math.Signbit(f) {
		return "-0"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

const maxItems = 100

// inspect writes v roughly as Node's util.inspect does: enough for a reader
// to recognise arrays, bytes, maps and errors in a log line.
func inspect(rt *goja.Runtime, b *strings.Builder, v goja.Value, depth int, seen []*goja.Object, quote bool) {
	switch {
	case v == nil || goja.IsUndefined(v):
		b.WriteString("undefined")
		return
	case goja.IsNull(v):
		b.WriteString("null")
		return
	}
	if sym, ok := v.(*goja.Symbol); ok {
		b.WriteString("Symbol(" + sym.String() + ")")
		return
	}
	switch x := v.Export().(type) {
	case string:
		if quote {
			b.WriteString(quoteString(x))
		} else {
			b.WriteString(x)
		}
		return
	case float64:
		b.WriteString(number(x))
		return
	case bool, int64:
		b.WriteString(v.String())
		return
	}
	if goja.IsBigInt(v) {
		b.WriteString(v.String() + "n")
		return
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		b.WriteString(v.String())
		return
	}
	for _, s := range seen {
		if s == obj {
			b.WriteString("[Circular]")
			return
		}
	}
	seen = append(seen, obj)
	if _, isFn := goja.AssertFunction(obj); isFn {
		name := obj.Get("name")
		if name == nil || name.String() == "" {
			b.WriteString("[Function (anonymous)]")
		} else if strings.HasPrefix(funcSource(obj), "class") {
			b.WriteString("[class " + name.String() + "]")
		} else {
			b.WriteString("[Function: " + name.String() + "]")
		}
		return
	}
	switch obj.ClassName() {
	case "Error":
		if st := obj.Get("stack"); st != nil && !goja.IsUndefined(st) && st.String() != "" {
			b.WriteString(st.String())
		} else {
			b.WriteString(obj.String())
		}
		return
	case "Date", "RegExp":
		if obj.ClassName() == "Date" {
			if iso, ok := goja.AssertFunction(obj.Get("toISOString")); ok {
				if s, err := iso(obj); err == nil {
					b.WriteString(s.String())
					return
				}
			}
		}
		b.WriteString(obj.String())
		return
	}
	if p, ok := obj.Export().(*goja.Promise); ok {
		{
			switch p.State() {
			case goja.PromiseStatePending:
				b.WriteString("Promise { <pending> }")
			case goja.PromiseStateFulfilled:
				b.WriteString("Promise { ")
				inspect(rt, b, p.Result(), depth-1, seen, true)
				b.WriteString(" }")
			default:
				b.WriteString("Promise { <rejected> ")
				inspect(rt, b, p.Result(), depth-1, seen, true)
				b.WriteString(" }")
			}
			return
		}
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		bytes := ab.Bytes()
		b.WriteString("ArrayBuffer { [Uint8Contents]: <")
		for i, c := range bytes {
			if i == 50 {
				b.WriteString(" ... " + strconv.Itoa(len(bytes)-50) + " more bytes")
				break
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
		}
		b.WriteString(">, byteLength: " + strconv.Itoa(len(bytes)) + " }")
		return
	}
	ctor := constructorName(obj)
	if depth < 0 {
		if obj.ClassName() == "Array" {
			b.WriteString("[Array]")
		} else {
			b.WriteString("[" + firstNonEmpty(ctor, "Object") + "]")
		}
		return
	}
	if isArrayLike(obj) {
		n := int(obj.Get("length").ToInteger())
		if obj.ClassName() != "Array" {
			b.WriteString(ctor + "(" + strconv.Itoa(n) + ") ")
		}
		if n == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[ ")
		for i := 0; i < n && i < maxItems; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			inspect(rt, b, obj.Get(strconv.Itoa(i)), depth-1, seen, true)
		}
		if n > maxItems {
			b.WriteString(", ... " + strconv.Itoa(n-maxItems) + " more items")
		}
		b.WriteString(" ]")
		return
	}
	if ctor == "Map" || ctor == "Set" {
		inspectCollection(rt, b, obj, ctor, depth, seen)
		return
	}
	keys := obj.Keys()
	if ctor != "" && ctor != "Object" {
		b.WriteString(ctor + " ")
	}
	if len(keys) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{ ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == maxItems {
			b.WriteString("...")
			break
		}
		if isIdentifier(k) {
			b.WriteString(k)
		} else {
			b.WriteString(quoteString(k))
		}
		b.WriteString(": ")
		inspect(rt, b, obj.Get(k), depth-1, seen, true)
	}
	b.WriteString(" }")
}

func inspectCollection(rt *goja.Runtime, b *strings.Builder, obj *goja.Object, ctor string, depth int, seen []*goja.Object) {
	size := obj.Get("size").ToInteger()
	b.WriteString(ctor + "(" + strconv.FormatInt(size, 10) + ") {")
	entries, ok := goja.AssertFunction(obj.Get("entries"))
	if !ok || size == 0 {
		b.WriteString("}")
		return
	}
	it, err := entries(obj)
	if err != nil {
		b.WriteString("}")
		return
	}
	next, _ := goja.AssertFunction(it.ToObject(rt).Get("next"))
	for i := 0; next != nil; i++ {
		r, err := next(it)
		if err != nil || r.ToObject(rt).Get("done").ToBoolean() {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
		pair := r.ToObject(rt).Get("value").ToObject(rt)
		inspect(rt, b, pair.Get("0"), depth-1, seen, true)
		if ctor == "Map" {
			b.WriteString(" => ")
			inspect(rt, b, pair.Get("1"), depth-1, seen, true)
		}
	}
	b.WriteString(" }")
}

func isArrayLike(obj *goja.Object) bool {
	if obj.ClassName() == "Array" {
		return true
	}
	name := constructorName(obj)
	return strings.HasSuffix(name, "Array") && obj.Get("BYTES_PER_ELEMENT") != nil
}

func constructorName(obj *goja.Object) string {
	ctor, ok := obj.Get("constructor").(*goja.Object)
	if !ok {
		return ""
	}
	if n := ctor.Get("name"); n != nil {
		return n.String()
	}
	return ""
}

func funcSource(obj *goja.Object) string {
	s := obj.String()
	if len(s) > 16 {
		s = s[:16]
	}
	return s
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		return false
	}
	return true
}

func quoteString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
	return "'" + strings.ReplaceAll(q, "'", `\'`) + "'"
}

// Inspect renders one value as Node's util.inspect does, nesting at most
// depth levels.
func Inspect(rt *goja.Runtime, v goja.Value, depth int) string {
	var b strings.Builder
	inspect(rt, &b, v, depth, nil, true)
	return b.String()
}
