package sockets

import (
	"fmt"
	"net"
	"strconv"

	"github.com/sockw/sockw/bindings/internal/webidl"

	"github.com/dop251/goja"
)

// defineDirectSockets installs Chrome's Direct Sockets forms: the
// TCPSocket class and the early navigator.openTCPSocket().
func (b *Binding) defineDirectSockets() error {
	rt := b.rt
	slot := goja.NewSymbol("sockw.tcpsocket")
	proto := rt.NewObject()
	this := func(call goja.FunctionCall) *tcpSocket {
		if o, ok := call.This.(*goja.Object); ok {
			if v := o.GetSymbol(slot); v != nil {
				if t, ok := v.Export().(*tcpSocket); ok {
					return t
				}
			}
		}
		panic(rt.NewTypeError("Illegal invocation: not a TCPSocket"))
	}
	ctor := rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		host := call.Argument(0)
		if goja.IsUndefined(host) {
			panic(rt.NewTypeError("TCPSocket: remoteAddress is required"))
		}
		t := b.openDirect(host.String(), call.Argument(1), call.Argument(2))
		obj := rt.NewObject()
		obj.SetPrototype(proto)
		obj.DefineDataPropertySymbol(slot, rt.ToValue(t), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return obj
	}).ToObject(rt)
	for name, get := range map[string]func(*tcpSocket) goja.Value{
		"opened": func(t *tcpSocket) goja.Value { return rt.ToValue(t.opened) },
		"closed": func(t *tcpSocket) goja.Value { return rt.ToValue(t.s.closed.Promise(b.rt)) },
	} {
		get := get
		fn := rt.ToValue(func(call goja.FunctionCall) goja.Value { return get(this(call)) })
		if err := proto.DefineAccessorProperty(name, fn, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("TCPSocket.%s: %w", name, err)
		}
	}
	closeFn := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		t := this(call)
		t.s.close(nil)
		return rt.ToValue(t.s.closed.Promise(b.rt))
	})
	proto.DefineDataProperty("close", closeFn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	webidl.DefineInterface(rt, "TCPSocket", ctor, proto, true)

	// navigator.openTCPSocket({remoteAddress, remotePort}) resolves to the
	// object TCPSocket's opened resolves to (Chrome 99's form).
	open := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		o, ok := call.Argument(0).(*goja.Object)
		if !ok {
			panic(rt.NewTypeError("openTCPSocket: the argument must be { remoteAddress, remotePort }"))
		}
		t := b.openDirect(o.Get("remoteAddress").String(), o.Get("remotePort"), o)
		return rt.ToValue(t.opened)
	})
	nav, ok := rt.Get("navigator").(*goja.Object)
	if !ok {
		return fmt.Errorf("navigator is not installed")
	}
	// An operation lives on the interface's prototype (WorkerNavigator).
	navProto := nav.Prototype()
	if navProto == nil {
		navProto = nav
	}
	openFn := open.(*goja.Object)
	openFn.DefineDataProperty("name", rt.ToValue("openTCPSocket"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	openFn.DefineDataProperty("length", rt.ToValue(1), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return navProto.DefineDataProperty("openTCPSocket", openFn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// tcpSocket is a Direct Sockets TCPSocket: a socket whose opened resolves
// to its streams and addresses.
type tcpSocket struct {
	s      *socket
	opened *goja.Promise
}

func (b *Binding) openDirect(host string, portV, optsV goja.Value) *tcpSocket {
	rt := b.rt
	port := -1.0
	if portV != nil && !goja.IsUndefined(portV) {
		port = portV.ToFloat()
	}
	if port < 1 || port > 65535 || port != float64(int(port)) {
		panic(rt.NewTypeError("TCPSocket: remotePort must be an integer from 1 to 65535"))
	}
	addr := rt.NewObject()
	addr.Set("hostname", host)
	addr.Set("port", port)
	h, p := b.parseAddress(addr)
	s, err := b.dial(h, p, connectOptions{secure: "off", highWaterMark: DefaultHighWaterMark})
	if err != nil {
		panic(rt.NewGoError(err))
	}
	noDelay := false
	if o, ok := optsV.(*goja.Object); ok {
		if v := o.Get("noDelay"); v != nil && !goja.IsUndefined(v) {
			noDelay = v.ToBoolean()
		}
	}
	t := &tcpSocket{s: s}
	var resolve, reject func(any) error
	t.opened, resolve, reject = rt.NewPromise()
	ok := rt.ToValue(func(goja.FunctionCall) goja.Value {
		if tc, isTCP := s.l.conn.(*net.TCPConn); isTCP {
			tc.SetNoDelay(noDelay)
		}
		info := rt.NewObject()
		info.Set("readable", s.readableStream())
		info.Set("writable", s.writableStream())
		rh, rp := splitAddr(s.l.conn.RemoteAddr())
		lh, lp := splitAddr(s.l.conn.LocalAddr())
		info.Set("remoteAddress", rh)
		info.Set("remotePort", rp)
		info.Set("localAddress", lh)
		info.Set("localPort", lp)
		resolve(info)
		return goja.Undefined()
	})
	fail := rt.ToValue(func(c goja.FunctionCall) goja.Value { reject(c.Argument(0)); return goja.Undefined() })
	webidl.Then(rt, s.opened.Promise(b.rt), ok, fail)
	return t
}

func splitAddr(a net.Addr) (string, int) {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String(), 0
	}
	n, _ := strconv.Atoi(port)
	return host, n
}
