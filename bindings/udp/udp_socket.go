package udp

import (
	"fmt"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// defineUDPSocket installs Direct Sockets' UDPSocket: new UDPSocket({
// remoteAddress, remotePort }) is connected to one peer (checked against
// the egress policy); new UDPSocket({ localAddress, localPort }) is bound
// and sends each message to its own { remoteAddress, remotePort }, if
// Options.AllowBind. opened resolves to { readable, writable,
// remoteAddress, remotePort, localAddress, localPort }; reads yield
// { data, remoteAddress, remotePort }.
func (b *Binding) defineUDPSocket() error {
	rt := b.rt
	b.udpProto = rt.NewObject()
	ctor := rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		return b.constructUDPSocket(call)
	}).ToObject(rt)
	ctor.DefineDataProperty("name", rt.ToValue("UDPSocket"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	ctor.DefineDataProperty("length", rt.ToValue(1), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	for _, g := range []struct {
		name string
		get  func(*socket) goja.Value
	}{
		{"opened", func(s *socket) goja.Value { return rt.ToValue(s.opened.Promise(b.rt)) }},
		{"closed", func(s *socket) goja.Value { return rt.ToValue(s.closed.Promise(b.rt)) }},
	} {
		get := g.get
		fn := rt.ToValue(func(call goja.FunctionCall) goja.Value { return get(b.thisSocket(call.This)) })
		if err := b.udpProto.DefineAccessorProperty(g.name, fn, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("udp: UDPSocket.%s: %w", g.name, err)
		}
	}
	closeFn := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		s := b.thisSocket(call.This)
		s.closeWith(nil)
		return rt.ToValue(s.closed.Promise(b.rt))
	})
	if err := b.udpProto.DefineDataProperty("close", closeFn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("udp: UDPSocket.close: %w", err)
	}
	webidl.DefineInterface(rt, "UDPSocket", ctor, b.udpProto, true)
	return nil
}

func (b *Binding) constructUDPSocket(call goja.ConstructorCall) *goja.Object {
	rt := b.rt
	opts, ok := call.Argument(0).(*goja.Object)
	if !ok {
		panic(rt.NewTypeError("UDPSocket: the argument must be { remoteAddress, remotePort } or { localAddress, localPort }"))
	}
	set := func(name string) (goja.Value, bool) {
		v := opts.Get(name)
		return v, v != nil && !goja.IsUndefined(v)
	}
	ra, hasRemote := set("remoteAddress")
	la, hasLocal := set("localAddress")
	var s *socket
	var err error
	switch {
	case hasRemote && hasLocal:
		panic(rt.NewTypeError("UDPSocket: remoteAddress and localAddress are exclusive: a socket is either connected or bound"))
	case hasRemote:
		port := b.port(opts, "remotePort", 1)
		host := ra.String()
		if host == "" {
			panic(rt.NewTypeError("UDPSocket: remoteAddress must not be empty"))
		}
		s, err = b.newOutbound(kindDirect, false, trimBrackets(host), port)
	case hasLocal:
		if !b.opts.AllowBind {
			panic(events.NewDOMException(rt, "UDPSocket: bound sockets ({ localAddress }) are not allowed on this node", "NotAllowedError"))
		}
		port := b.port(opts, "localPort", 0)
		s, err = b.newOutbound(kindDirect, true, trimBrackets(la.String()), port)
	default:
		panic(rt.NewTypeError("UDPSocket: either remoteAddress and remotePort or localAddress must be given"))
	}
	if err != nil {
		panic(rt.NewGoError(err))
	}
	s.wrap(b.udpProto)
	return s.obj
}

// port reads an integer port option; min is 1 for a required port and 0
// for an optional one (0 = any free port).
func (b *Binding) port(opts *goja.Object, name string, min float64) uint16 {
	v := opts.Get(name)
	p := -1.0
	if v != nil && !goja.IsUndefined(v) {
		p = v.ToFloat()
	} else if min == 0 {
		p = 0
	}
	if p < min || p > 65535 || p != float64(int(p)) {
		panic(b.rt.NewTypeError(fmt.Sprintf("UDPSocket: %s must be an integer from %d to 65535", name, int(min))))
	}
	return uint16(p)
}
