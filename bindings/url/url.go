// Package url installs the URL Standard's URL and URLSearchParams
// (https://url.spec.whatwg.org/) into an isolate.
//
// The parser is this package's own, in Go: goja_nodejs/url builds on Go's
// net/url, which is not the WHATWG parser (it keeps "0x7f.1" as a host
// instead of reading it as IPv4, rejects "http:\\a.com\b" and leading
// spaces, gives blob: URLs the wrong origin, does not reflect
// searchParams.append in href and has no URL.canParse).
package url

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

// binding is the per-isolate state of this package. Event loop only.
type binding struct {
	rt          *goja.Runtime
	errs        *webidl.Errors
	classes     *webidl.ClassMaker
	paramsProto *goja.Object
	iterProto   *goja.Object
}

// urlObject is a URL's internal slots.
type urlObject struct {
	webidl.Expandos
	rec *record
	// params is the query object, made when a script first reads
	// searchParams: its list is a function of the query until then.
	params    *searchParams
	paramsObj *goja.Object
}

var typeURL = reflect.TypeFor[*urlObject]()

// Install defines URL and URLSearchParams on h.Runtime. It must run on the
// loop goroutine. The classes are built on first use (see installLazily).
func Install(h *bindings.Host) error {
	rt := h.Runtime
	if err := installLazily(rt, []string{"URL", "URLSearchParams"}, func() (map[string]goja.Value, error) { return build(rt) }); err != nil {
		return fmt.Errorf("url: %w", err)
	}
	return nil
}

// build makes this package's globals.
func build(rt *goja.Runtime) (map[string]goja.Value, error) {
	classes, err := webidl.NewClassMaker(rt)
	if err != nil {
		return nil, err
	}
	b := &binding{rt: rt, errs: webidl.NewErrors(rt), classes: classes}
	urlClass, err := b.urlClass()
	if err != nil {
		return nil, fmt.Errorf("URL: %w", err)
	}
	paramsClass, err := b.searchParamsClass()
	if err != nil {
		return nil, fmt.Errorf("URLSearchParams: %w", err)
	}
	return map[string]goja.Value{"URL": urlClass, "URLSearchParams": paramsClass}, nil
}

// usv is WebIDL's USVString conversion: ToString, with lone surrogates
// replaced by U+FFFD (goja's String does that for UTF-16 strings).
func (b *binding) usv(v goja.Value) string {
	if _, ok := v.(*goja.Symbol); ok {
		panic(b.errs.TypeError("Cannot convert a Symbol value to a string"))
	}
	p := v.ToString()
	if _, ok := p.(*goja.Symbol); ok {
		panic(b.errs.TypeError("Cannot convert a Symbol value to a string"))
	}
	return p.String()
}

func (b *binding) requireArgs(call goja.FunctionCall, n int, what string) {
	if len(call.Arguments) < n {
		panic(b.errs.TypeError(fmt.Sprintf("Failed to execute %s: %d argument(s) required, but only %d present.", what, n, len(call.Arguments))))
	}
}

// parseWithBase is the shared part of the constructor, URL.parse and
// URL.canParse. errMsg is empty on success.
func (b *binding) parseWithBase(nargs int, input, base goja.Value) (*record, string) {
	var baseRec *record
	if nargs > 1 && !goja.IsUndefined(base) {
		r, ok := parse(b.usv(base), nil)
		if !ok {
			return nil, "Invalid base URL"
		}
		baseRec = r
	}
	r, ok := parse(b.usv(input), baseRec)
	if !ok {
		return nil, "Invalid URL"
	}
	return r, ""
}

func (b *binding) urlClass() (*goja.Object, error) {
	rt := b.rt
	var proto *goja.Object
	c, proto, err := b.classes.Class("URL", 1, func(p *goja.Object, input, base goja.Value) *goja.Object {
		// new URL() parses "undefined" and fails like a missing argument.
		r, msg := b.parseWithBase(2, input, base)
		if msg != "" {
			panic(b.errs.TypeError("Failed to construct 'URL': " + msg))
		}
		return webidl.NewInstance(rt, p, &urlObject{rec: r})
	})
	if err != nil {
		return nil, err
	}
	webidl.Method(rt, c, "parse", 1, func(call goja.FunctionCall) goja.Value {
		b.requireArgs(call, 1, "'parse' on 'URL'")
		r, msg := b.parseWithBase(len(call.Arguments), call.Argument(0), call.Argument(1))
		if msg != "" {
			return goja.Null()
		}
		return webidl.NewInstance(rt, proto, &urlObject{rec: r})
	})
	webidl.Method(rt, c, "canParse", 1, func(call goja.FunctionCall) goja.Value {
		b.requireArgs(call, 1, "'canParse' on 'URL'")
		_, msg := b.parseWithBase(len(call.Arguments), call.Argument(0), call.Argument(1))
		return rt.ToValue(msg == "")
	})

	str := func(s string) goja.Value { return rt.ToValue(s) }
	attr := func(name string, get func(u *urlObject) goja.Value, set func(u *urlObject, v string)) {
		getFn := func(call goja.FunctionCall) goja.Value { return get(b.thisURL(call.This, name)) }
		if set == nil {
			webidl.Getter(rt, proto, name, getFn)
			return
		}
		webidl.Accessor(rt, proto, name, getFn, func(call goja.FunctionCall) goja.Value {
			u := b.thisURL(call.This, name)
			b.requireArgs(call, 1, "'"+name+"' on 'URL'")
			set(u, b.usv(call.Argument(0)))
			return goja.Undefined()
		})
	}
	attr("href", func(u *urlObject) goja.Value { return str(u.rec.String()) }, func(u *urlObject, v string) {
		r, ok := parse(v, nil)
		if !ok {
			panic(b.errs.TypeError("Failed to set the 'href' property on 'URL': Invalid URL"))
		}
		u.rec = r
		u.queryChanged()
	})
	attr("origin", func(u *urlObject) goja.Value { return str(u.rec.origin()) }, nil)
	attr("protocol", func(u *urlObject) goja.Value { return str(u.rec.scheme + ":") }, func(u *urlObject, v string) {
		u.update(func(r *record) bool { return basicParse(v+":", nil, r, stateSchemeStart) })
	})
	attr("username", func(u *urlObject) goja.Value { return str(u.rec.username) }, func(u *urlObject, v string) {
		if !u.rec.cannotHaveCredentialsOrPort() {
			u.rec.username = encode(v, userinfoSet)
		}
	})
	attr("password", func(u *urlObject) goja.Value { return str(u.rec.password) }, func(u *urlObject, v string) {
		if !u.rec.cannotHaveCredentialsOrPort() {
			u.rec.password = encode(v, userinfoSet)
		}
	})
	attr("host", func(u *urlObject) goja.Value {
		if !u.rec.hasHost {
			return str("")
		}
		if u.rec.port < 0 {
			return str(u.rec.host)
		}
		return str(u.rec.host + ":" + strconv.Itoa(u.rec.port))
	}, func(u *urlObject, v string) {
		if !u.rec.opaque {
			u.update(func(r *record) bool { return basicParse(v, nil, r, stateHost) })
		}
	})
	attr("hostname", func(u *urlObject) goja.Value { return str(u.rec.host) }, func(u *urlObject, v string) {
		if !u.rec.opaque {
			u.update(func(r *record) bool { return basicParse(v, nil, r, stateHostname) })
		}
	})
	attr("port", func(u *urlObject) goja.Value {
		if u.rec.port < 0 {
			return str("")
		}
		return str(strconv.Itoa(u.rec.port))
	}, func(u *urlObject, v string) {
		if u.rec.cannotHaveCredentialsOrPort() {
			return
		}
		if v == "" {
			u.rec.port = -1
			return
		}
		u.update(func(r *record) bool { return basicParse(v, nil, r, statePort) })
	})
	attr("pathname", func(u *urlObject) goja.Value { return str(u.rec.pathString()) }, func(u *urlObject, v string) {
		if u.rec.opaque {
			return
		}
		u.update(func(r *record) bool {
			r.path = nil
			return basicParse(v, nil, r, statePathStart)
		})
	})
	attr("search", func(u *urlObject) goja.Value {
		if !u.rec.hasQuery || u.rec.query == "" {
			return str("")
		}
		return str("?" + u.rec.query)
	}, func(u *urlObject, v string) {
		if v == "" {
			u.rec.query, u.rec.hasQuery = "", false
			u.queryChanged()
			return
		}
		v = strings.TrimPrefix(v, "?")
		u.update(func(r *record) bool {
			r.query, r.hasQuery = "", true
			return basicParse(v, nil, r, stateQuery)
		})
		if u.params != nil {
			u.params.list = parseForm(v)
		}
	})
	webidl.Getter(rt, proto, "searchParams", func(call goja.FunctionCall) goja.Value {
		return b.queryObject(b.thisURL(call.This, "searchParams"))
	})
	attr("hash", func(u *urlObject) goja.Value {
		if !u.rec.hasFragment || u.rec.fragment == "" {
			return str("")
		}
		return str("#" + u.rec.fragment)
	}, func(u *urlObject, v string) {
		if v == "" {
			u.rec.fragment, u.rec.hasFragment = "", false
			return
		}
		v = strings.TrimPrefix(v, "#")
		u.update(func(r *record) bool {
			r.fragment, r.hasFragment = "", true
			return basicParse(v, nil, r, stateFragment)
		})
	})
	href := func(call goja.FunctionCall) goja.Value {
		return str(b.thisURL(call.This, "toString").rec.String())
	}
	webidl.Method(rt, proto, "toString", 0, href)
	webidl.Method(rt, proto, "toJSON", 0, href)
	return c, nil
}

func (b *binding) thisURL(this goja.Value, member string) *urlObject {
	if o, ok := this.(*goja.Object); ok && o.ExportType() == typeURL {
		return o.Export().(*urlObject)
	}
	panic(b.errs.TypeError("Failed to execute '" + member + "' on 'URL': Illegal invocation"))
}

// update runs a state-override parse on the record in place. The spec's
// setters keep what the parse changed before it failed (a host setter "h:x"
// sets the host, then fails on the port), so the result is not needed.
func (u *urlObject) update(f func(r *record) bool) { f(u.rec) }

// queryChanged refreshes the query object's list after the URL's query was
// replaced wholesale (the href setter).
func (u *urlObject) queryChanged() {
	if u.params == nil {
		return
	}
	u.params.list = nil
	if u.rec.hasQuery {
		u.params.list = parseForm(u.rec.query)
	}
}
