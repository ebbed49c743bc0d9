package console

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// Format renders console arguments as Node's util.format does: a leading
// string may hold %s %d %i %f %j %o %O %c and %% directives; other arguments
// are inspected and joined by spaces.
func Format(rt *goja.Runtime, args []goja.Value) string {
	return FormatWithOptions(rt, DefaultInspectOptions, args)
}

// FormatWithOptions is Format with the inspect options of the arguments
// that are not strings, as Node's util.formatWithOptions.
func FormatWithOptions(rt *goja.Runtime, opts InspectOptions, args []goja.Value) string {
	depth := opts.Depth
	if depth < 0 {
		depth = math.MaxInt32
	}
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
						// Node inspects objects for %s with depth 0.
						inspect(rt, &b, arg, 0, nil, false)
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
		inspect(rt, &b, a, depth, nil, false)
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

// InspectOptions are the options of Node's util.inspect that sockw honours.
type InspectOptions struct {
	// Depth is how many levels of nesting are shown before an object is
	// abbreviated to [Object]; negative means no limit.
	Depth int
	// CustomInspect calls an object's [Symbol.for('nodejs.util.inspect.custom')]
	// method and shows what it returns, as Node does by default.
	CustomInspect bool
}

// DefaultInspectOptions are util.inspect's defaults.
var DefaultInspectOptions = InspectOptions{Depth: 2, CustomInspect: true}

// Inspect renders v as Node's util.inspect does, on one line.
func Inspect(rt *goja.Runtime, v goja.Value, opts InspectOptions) string {
	depth := opts.Depth
	if depth < 0 {
		depth = math.MaxInt32
	}
	in := newInspector(rt, opts)
	in.value(v, depth, nil, true)
	return string(in.buf)
}

// inspector writes one value; objects met again inside themselves are
// numbered, as Node's <ref *1> ... [Circular *1].
type inspector struct {
	rt     *goja.Runtime
	opts   InspectOptions
	buf    []byte
	refs   map[*goja.Object]int
	custom *goja.Symbol
	// descriptor is Object.getOwnPropertyDescriptor, fetched on first use.
	descriptor goja.Callable
}

func newInspector(rt *goja.Runtime, opts InspectOptions) *inspector {
	in := &inspector{rt: rt, opts: opts}
	if opts.CustomInspect {
		in.custom = customSymbol(rt)
	}
	return in
}

// customSymbol returns Symbol.for('nodejs.util.inspect.custom'), which goja
// offers no Go call for.
func customSymbol(rt *goja.Runtime) *goja.Symbol {
	if symFor, ok := goja.AssertFunction(rt.Get("Symbol").ToObject(rt).Get("for")); ok {
		if v, err := symFor(goja.Undefined(), rt.ToValue("nodejs.util.inspect.custom")); err == nil {
			if sym, ok := v.(*goja.Symbol); ok {
				return sym
			}
		}
	}
	return nil
}

func (in *inspector) writeString(s string) { in.buf = append(in.buf, s...) }
func (in *inspector) writeByte(c byte)     { in.buf = append(in.buf, c) }

// inspect is Format's entry: a fresh inspector per argument, so that
// circular references are numbered per value as in Node.
func inspect(rt *goja.Runtime, b *strings.Builder, v goja.Value, depth int, _ []*goja.Object, quote bool) {
	in := newInspector(rt, InspectOptions{Depth: depth, CustomInspect: true})
	in.value(v, depth, nil, quote)
	b.Write(in.buf)
}

// value writes v with depth levels of nesting left.
func (in *inspector) value(v goja.Value, depth int, seen []*goja.Object, quote bool) {
	b := in
	switch {
	case v == nil || goja.IsUndefined(v):
		b.writeString("undefined")
		return
	case goja.IsNull(v):
		b.writeString("null")
		return
	}
	if sym, ok := v.(*goja.Symbol); ok {
		b.writeString("Symbol(" + sym.String() + ")")
		return
	}
	obj, isObj := v.(*goja.Object)
	switch x := v.Export().(type) {
	case string:
		if isObj {
			break // a String object
		}
		if quote {
			b.writeString(quoteString(x))
		} else {
			b.writeString(x)
		}
		return
	case float64:
		if !isObj {
			b.writeString(number(x))
			return
		}
	case bool, int64:
		if !isObj {
			b.writeString(v.String())
			return
		}
	}
	if goja.IsBigInt(v) {
		b.writeString(v.String() + "n")
		return
	}
	if !isObj {
		b.writeString(v.String())
		return
	}
	for _, s := range seen {
		if s == obj {
			if in.refs == nil {
				in.refs = map[*goja.Object]int{}
			}
			id, ok := in.refs[obj]
			if !ok {
				id = len(in.refs) + 1
				in.refs[obj] = id
			}
			b.writeString("[Circular *" + strconv.Itoa(id) + "]")
			return
		}
	}
	if in.custom != nil && in.customInspect(obj, depth, seen) {
		return
	}
	start := len(in.buf)
	in.object(obj, depth, append(seen, obj))
	if id, ok := in.refs[obj]; ok {
		ref := "<ref *" + strconv.Itoa(id) + "> "
		in.buf = append(in.buf[:start], append([]byte(ref), in.buf[start:]...)...)
	}
}

// customInspect shows what obj's inspect.custom method returns, if it has one.
func (in *inspector) customInspect(obj *goja.Object, depth int, seen []*goja.Object) bool {
	fn, ok := goja.AssertFunction(obj.GetSymbol(in.custom))
	if !ok {
		return false
	}
	opts := in.rt.NewObject()
	_ = opts.Set("depth", depth)
	_ = opts.Set("colors", false)
	_ = opts.Set("stylize", func(call goja.FunctionCall) goja.Value { return call.Argument(0).ToString() })
	inspectFn := func(call goja.FunctionCall) goja.Value {
		o := InspectOptions{Depth: 2, CustomInspect: true}
		if arg, ok := call.Argument(1).(*goja.Object); ok {
			if d := arg.Get("depth"); d != nil && !goja.IsUndefined(d) {
				o.Depth = depthOption(d)
			}
		}
		return in.rt.ToValue(Inspect(in.rt, call.Argument(0), o))
	}
	r, err := fn(obj, in.rt.ToValue(depth), opts, in.rt.ToValue(inspectFn))
	if err != nil {
		panic(err)
	}
	if r == obj {
		return false
	}
	if goja.IsString(r) {
		in.writeString(r.String())
		return true
	}
	in.value(r, depth, seen, true)
	return true
}

// depthOption reads util.inspect's depth option: null and Infinity mean
// no limit.
func depthOption(v goja.Value) int {
	if goja.IsNull(v) {
		return -1
	}
	f := v.ToFloat()
	if math.IsInf(f, 1) || f > math.MaxInt32 {
		return -1
	}
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	return int(f)
}

// object writes an object that is not a primitive wrapper of its own kind.
func (in *inspector) object(obj *goja.Object, depth int, seen []*goja.Object) {
	b := in
	if _, isFn := goja.AssertFunction(obj); isFn {
		name := obj.Get("name")
		if name == nil || name.String() == "" {
			b.writeString("[Function (anonymous)]")
		} else if strings.HasPrefix(funcSource(obj), "class") {
			b.writeString("[class " + name.String())
			if parent := obj.Prototype(); parent != nil {
				if _, ok := goja.AssertFunction(parent); ok {
					if pn := parent.Get("name"); pn != nil && pn.String() != "" {
						b.writeString(" extends " + pn.String())
					}
				}
			}
			b.writeString("]")
		} else {
			b.writeString("[Function: " + name.String() + "]")
		}
		return
	}
	switch obj.ClassName() {
	case "Number", "String", "Boolean":
		if valueOf, ok := goja.AssertFunction(obj.Get("valueOf")); ok {
			if v, err := valueOf(obj); err == nil {
				b.writeString("[" + obj.ClassName() + ": ")
				in.value(v, depth, nil, true)
				b.writeString("]")
				return
			}
		}
	case "Error":
		if st := obj.Get("stack"); st != nil && !goja.IsUndefined(st) && st.String() != "" {
			b.writeString(st.String())
		} else {
			b.writeString(obj.String())
		}
		return
	case "Date", "RegExp":
		if obj.ClassName() == "Date" {
			if iso, ok := goja.AssertFunction(obj.Get("toISOString")); ok {
				if s, err := iso(obj); err == nil {
					b.writeString(s.String())
					return
				}
			}
		}
		b.writeString(obj.String())
		return
	}
	if p, ok := obj.Export().(*goja.Promise); ok {
		{
			switch p.State() {
			case goja.PromiseStatePending:
				b.writeString("Promise { <pending> }")
			case goja.PromiseStateFulfilled:
				b.writeString("Promise { ")
				in.value(p.Result(), depth-1, seen, true)
				b.writeString(" }")
			default:
				b.writeString("Promise { <rejected> ")
				in.value(p.Result(), depth-1, seen, true)
				b.writeString(" }")
			}
			return
		}
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		bytes := ab.Bytes()
		b.writeString("ArrayBuffer { [Uint8Contents]: <")
		for i, c := range bytes {
			if i == 50 {
				b.writeString(" ... " + strconv.Itoa(len(bytes)-50) + " more bytes")
				break
			}
			if i > 0 {
				b.writeByte(' ')
			}
			b.writeString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
		}
		b.writeString(">, byteLength: " + strconv.Itoa(len(bytes)) + " }")
		return
	}
	ctor := constructorName(obj)
	if depth < 0 {
		if obj.ClassName() == "Array" {
			b.writeString("[Array]")
		} else {
			b.writeString("[" + firstNonEmpty(ctor, "Object") + "]")
		}
		return
	}
	if isArrayLike(obj) {
		n := int(obj.Get("length").ToInteger())
		if obj.ClassName() != "Array" {
			b.writeString(ctor + "(" + strconv.Itoa(n) + ") ")
		}
		if n == 0 {
			b.writeString("[]")
			return
		}
		b.writeString("[ ")
		for i := 0; i < n && i < maxItems; i++ {
			if i > 0 {
				b.writeString(", ")
			}
			in.value(obj.Get(strconv.Itoa(i)), depth-1, seen, true)
		}
		if n > maxItems {
			b.writeString(", ... " + strconv.Itoa(n-maxItems) + " more items")
		}
		b.writeString(" ]")
		return
	}
	if ctor == "Map" || ctor == "Set" {
		in.collection(obj, ctor, depth, seen)
		return
	}
	keys := obj.Keys()
	switch {
	case obj.Prototype() == nil:
		b.writeString("[Object: null prototype] ")
	case ctor != "" && ctor != "Object":
		b.writeString(ctor + " ")
	}
	if len(keys) == 0 {
		b.writeString("{}")
		return
	}
	b.writeString("{ ")
	for i, k := range keys {
		if i > 0 {
			b.writeString(", ")
		}
		if i == maxItems {
			b.writeString("...")
			break
		}
		if isIdentifier(k) {
			b.writeString(k)
		} else {
			b.writeString(quoteString(k))
		}
		b.writeString(": ")
		if acc := in.accessor(obj, k); acc != "" {
			b.writeString(acc)
			continue
		}
		in.value(obj.Get(k), depth-1, seen, true)
	}
	b.writeString(" }")
}

// accessor returns [Getter], [Setter] or [Getter/Setter] if obj's own
// property k is an accessor: Node shows it so without calling the getter.
func (in *inspector) accessor(obj *goja.Object, k string) string {
	if in.descriptor == nil {
		in.descriptor, _ = goja.AssertFunction(in.rt.Get("Object").ToObject(in.rt).Get("getOwnPropertyDescriptor"))
		if in.descriptor == nil {
			return ""
		}
	}
	d, err := in.descriptor(goja.Undefined(), obj, in.rt.ToValue(k))
	if err != nil {
		return ""
	}
	desc, ok := d.(*goja.Object)
	if !ok {
		return ""
	}
	get, set := desc.Get("get"), desc.Get("set")
	hasGet := get != nil && !goja.IsUndefined(get)
	hasSet := set != nil && !goja.IsUndefined(set)
	switch {
	case hasGet && hasSet:
		return "[Getter/Setter]"
	case hasGet:
		return "[Getter]"
	case hasSet:
		return "[Setter]"
	}
	return ""
}

func (in *inspector) collection(obj *goja.Object, ctor string, depth int, seen []*goja.Object) {
	rt, b := in.rt, in
	size := obj.Get("size").ToInteger()
	b.writeString(ctor + "(" + strconv.FormatInt(size, 10) + ") {")
	entries, ok := goja.AssertFunction(obj.Get("entries"))
	if !ok || size == 0 {
		b.writeString("}")
		return
	}
	it, err := entries(obj)
	if err != nil {
		b.writeString("}")
		return
	}
	next, _ := goja.AssertFunction(it.ToObject(rt).Get("next"))
	for i := 0; next != nil; i++ {
		r, err := next(it)
		if err != nil || r.ToObject(rt).Get("done").ToBoolean() {
			break
		}
		if i > 0 {
			b.writeByte(',')
		}
		b.writeByte(' ')
		pair := r.ToObject(rt).Get("value").ToObject(rt)
		in.value(pair.Get("0"), depth-1, seen, true)
		if ctor == "Map" {
			b.writeString(" => ")
			in.value(pair.Get("1"), depth-1, seen, true)
		}
	}
	b.writeString(" }")
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

// quoteString writes s as util.inspect does: in single quotes unless s
// holds one, then double quotes, then backticks (unless s holds those too,
// or "${"), escaping backslashes, the quote where it must, and control
// characters (\n, \t, ... or \xHH).
func quoteString(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 {
		switch {
		case strings.IndexByte(s, '"') < 0:
			q = '"'
		case strings.IndexByte(s, '`') < 0 && !strings.Contains(s, "${"):
			q = '`'
		}
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) && q == '\'':
			b.WriteString(`\'`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
