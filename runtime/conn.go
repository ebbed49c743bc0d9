package runtime

import (
	"errors"
	"net"

	quicgo "github.com/quic-go/quic-go"

	"github.com/sockw/sockw/bindings/udp"

	"github.com/dop251/goja"
	"go.uber.org/zap"
)

// inbound is an accepted connection of any kind (TCP or TLS; later UDP
// flows and QUIC connections) on its way to a connect event.
type inbound interface {
	// remote names the peer, for logs.
	remote() string
	// drop closes the connection before any script saw it.
	drop()
	// open makes the object the connect event hands the script. onClose
	// runs once, on the loop, whenever the connection ends. Loop only.
	open(g *globals, onClose func()) (openSocket, error)
}

// openSocket is the script's side of a connection: the object, and how the
// runtime ends it (finish flushes first; abort does not).
type openSocket struct {
	object *goja.Object
	finish func()
	abort  func(error)
}

// tcpConn is an accepted TCP or TLS connection.
type tcpConn struct{ net.Conn }

func (c tcpConn) remote() string { return c.RemoteAddr().String() }
func (c tcpConn) drop()          { c.Close() }
func (c tcpConn) open(g *globals, onClose func()) (openSocket, error) {
	in, err := g.sockets.NewInbound(c.Conn, onClose)
	if err != nil {
		return openSocket{}, err
	}
	return openSocket{object: in.Object, finish: in.Close, abort: in.Abort}, nil
}

// quicConn is an accepted QUIC connection; its handshake is complete.
type quicConn struct{ *quicgo.Conn }

func (c quicConn) remote() string { return c.RemoteAddr().String() }
func (c quicConn) drop()          { c.CloseWithError(0, "") }
func (c quicConn) open(g *globals, onClose func()) (openSocket, error) {
	obj, err := g.quic.NewInbound(c.Conn, onClose)
	if err != nil {
		return openSocket{}, err
	}
	// A module handler's settling closes the connection through the
	// script-facing close(), so closed settles as the script would see it.
	closeConn := func() {
		if fn, ok := goja.AssertFunction(obj.Get("close")); ok {
			fn(obj)
		}
	}
	return openSocket{object: obj, finish: closeConn, abort: func(error) { closeConn() }}, nil
}

// udpFlow is the datagrams from one source address of a UDP listener.
type udpFlow struct{ udp.Flow }

func (f udpFlow) remote() string { return f.RemoteAddr().String() }
func (f udpFlow) drop()          { f.Close() }
func (f udpFlow) open(g *globals, onClose func()) (openSocket, error) {
	obj, err := g.udp.NewInbound(f.Flow, onClose)
	if err != nil {
		return openSocket{}, err
	}
	return openSocket{
		object: obj,
		finish: func() { g.udp.Close(obj) },
		abort:  func(err error) { g.udp.Abort(obj, err) },
	}, nil
}

// conn is one inbound connection's life inside an isolate. It is the owner
// of every task the connection causes, so a limit or an uncaught error is
// pinned on it and not on its neighbours. Event loop only.
type conn struct {
	iso    *Isolate
	remote string
	socket openSocket
	closed bool
}

// connect dispatches the connect event for c. Module syntax: when the
// promise connect() returns settles, queued writes are flushed and the
// connection closed; a rejection is logged and the connection aborted.
// Service-worker syntax: the connection lives until the script or the peer
// closes it.
//
// An interrupt or stack overflow is not the script's exception to log: it is
// returned, so the loop's limit handling sees it with its stack.
func (iso *Isolate) connect(c inbound) error {
	cn := &conn{iso: iso, remote: c.remote()}
	iso.loop.SetOwner(cn)
	sock, err := c.open(iso.globals, cn.onClosed)
	if err != nil {
		iso.logger.Error("cannot create the socket for a connection", zap.String("remote", cn.remote), zap.Error(err))
		c.drop()
		cn.onClosed()
		return nil
	}
	cn.socket = sock
	rt := iso.rt
	if iso.connectFn != nil {
		ctx := iso.newContext()
		ret, err := iso.connectFn(iso.module, sock.object, iso.env, ctx)
		if uncatchable(err) {
			return err
		}
		if err != nil {
			cn.fail("connect handler threw", err)
			return nil
		}
		p, ok := ret.Export().(*goja.Promise)
		if !ok {
			sock.finish()
			return nil
		}
		then, _ := goja.AssertFunction(rt.ToValue(p).ToObject(rt).Get("then"))
		onDone := rt.ToValue(func(goja.FunctionCall) goja.Value { sock.finish(); return goja.Undefined() })
		onFail := rt.ToValue(func(call goja.FunctionCall) goja.Value {
			cn.failValue("connect handler rejected", call.Argument(0))
			return goja.Undefined()
		})
		if _, err := then(rt.ToValue(p), onDone, onFail); err != nil {
			if uncatchable(err) {
				return err
			}
			cn.fail("connect handler", err)
		}
		return nil
	}
	event := iso.newConnectEvent(sock.object)
	for _, l := range iso.listeners {
		if _, err := l(goja.Undefined(), event); err != nil {
			if uncatchable(err) {
				return err
			}
			cn.fail("connect listener threw", err)
			return nil
		}
	}
	return nil
}

// uncatchable reports an interrupt or a stack overflow, which no script
// can catch and which end the isolate.
func uncatchable(err error) bool {
	var intr *goja.InterruptedError
	var overflow *goja.StackOverflowError
	return errors.As(err, &intr) || errors.As(err, &overflow)
}

// newContext is the module handler's third argument. Its functions are the
// isolate's, made once: a native function is costly to create in goja.
func (iso *Isolate) newContext() *goja.Object {
	ctx := iso.rt.NewObject()
	ctx.Set("waitUntil", iso.waitUntilFn)
	ctx.Set("passThroughOnException", iso.noopFn)
	return ctx
}

// newConnectEvent is the service-worker listener's argument.
func (iso *Isolate) newConnectEvent(socket *goja.Object) *goja.Object {
	rt := iso.rt
	ev := rt.NewObject()
	ev.Set("type", "connect")
	ev.Set("socket", socket)
	ev.Set("env", iso.env)
	ev.Set("waitUntil", iso.waitUntilFn)
	return ev
}

// waitUntil keeps the isolate serving until the promise settles, so
// background work survives the handler's return and a reload.
func (iso *Isolate) waitUntil(call goja.FunctionCall) goja.Value {
	rt := iso.rt
	p, ok := call.Argument(0).Export().(*goja.Promise)
	if !ok {
		return goja.Undefined()
	}
	iso.live.Add(1)
	done := rt.ToValue(func(goja.FunctionCall) goja.Value { iso.release(); return goja.Undefined() })
	failed := rt.ToValue(func(c goja.FunctionCall) goja.Value {
		msg, stack := describeValue(c.Argument(0))
		iso.logger.Error("waitUntil promise rejected", zap.String("error", msg), zap.String("stack", stack))
		iso.release()
		return goja.Undefined()
	})
	then, _ := goja.AssertFunction(rt.ToValue(p).ToObject(rt).Get("then"))
	then(rt.ToValue(p), done, failed)
	return goja.Undefined()
}

// fail logs an exception from the handler and aborts the connection.
func (cn *conn) fail(what string, err error) {
	se := scriptError(cn.iso.version.cfg.Name, err)
	cn.log(what, se.Message, se.Stack)
	cn.abort(se)
}

func (cn *conn) failValue(what string, reason goja.Value) {
	msg, stack := describeValue(reason)
	cn.log(what, msg, stack)
	cn.abort(&ScriptError{Worker: cn.iso.version.cfg.Name, Message: msg, Stack: stack})
}

func (cn *conn) log(what, msg, stack string) {
	fields := []zap.Field{zap.String("remote", cn.remote), zap.String("error", msg)}
	if stack != "" {
		fields = append(fields, zap.String("stack", stack))
	}
	cn.iso.logger.Error(what+"; connection aborted", fields...)
}

func (cn *conn) abort(err error) {
	if cn.socket.abort != nil {
		cn.socket.abort(err)
	}
}

// onClosed runs once, on the loop, whoever closed the connection.
func (cn *conn) onClosed() {
	if cn.closed {
		return
	}
	cn.closed = true
	cn.iso.conns.Add(-1)
	cn.iso.version.open.Add(-1)
	cn.iso.release()
}
