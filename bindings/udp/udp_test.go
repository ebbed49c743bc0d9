package udp

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/encoding"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/bindings/timers"
	"github.com/sockw/sockw/egress"
	"github.com/sockw/sockw/listener"
)

// A listener's flow is what NewInbound takes.
var _ Flow = (*listener.Flow)(nil)

// env returns a test isolate with the globals UDP sockets build on, the UDP
// binding under opts, and a global Socket constructor for the SEED form
// (package sockets' constructor calls NewSeedUDP the same way).
func env(t testing.TB, opts Options) (*bindingstest.Env, *Binding) {
	t.Helper()
	e := bindingstest.New(t)
	return e, installBindings(t, e, opts)
}

// installBindings installs into e what env does.
func installBindings(t testing.TB, e *bindingstest.Env, opts Options) *Binding {
	t.Helper()
	if err := events.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	if err := timers.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	st, err := streams.Install(e.Host)
	if err != nil {
		t.Fatal(err)
	}
	if err := encoding.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	b, err := Install(e.Host, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	rt := e.Runtime
	e.Runtime.Set("Socket", func(call goja.ConstructorCall) *goja.Object {
		init := call.Argument(0).ToObject(rt)
		remote := init.Get("remote").ToObject(rt)
		o, err := b.NewSeedUDP(remote.Get("address").String(), uint16(remote.Get("port").ToInteger()))
		if err != nil {
			panic(rt.NewGoError(err))
		}
		return o
	})
	return b
}

func run(t testing.TB, e *bindingstest.Env, src string, vars ...any) {
	t.Helper()
	for i := 0; i+1 < len(vars); i += 2 {
		src = strings.ReplaceAll(src, vars[i].(string), fmt.Sprint(vars[i+1]))
	}
	if err := e.Run(t.Name()+".js", src, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// udpListener starts a listener whose flows arrive on the channel.
func udpListener(t testing.TB, cfg listener.UDPConfig) (*listener.UDP, chan *listener.Flow) {
	t.Helper()
	l, err := listener.ListenUDP(context.Background(), listener.Address{Network: "udp", HostPort: "127.0.0.1:0"}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	flows := make(chan *listener.Flow, 100)
	go l.Serve(func(f *listener.Flow) { flows <- f })
	t.Cleanup(func() { l.Close() })
	return l, flows
}

// takeFlow defines takeFlow(), which waits for the next flow and returns
// it as a Socket; closes counts onClose calls.
func takeFlow(t testing.TB, e *bindingstest.Env, b *Binding, flows chan *listener.Flow, closes *int) {
	e.Runtime.Set("takeFlow", func(goja.FunctionCall) goja.Value {
		select {
		case f := <-flows:
			o, err := b.NewInbound(f, func() { *closes++ })
			if err != nil {
				panic(e.Runtime.NewGoError(err))
			}
			return o
		case <-time.After(5 * time.Second):
			panic(e.Runtime.NewTypeError("no flow"))
		}
	})
}

func dialUDP(t testing.TB, to net.Addr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, to.(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// echoServer echoes every datagram to its sender.
func echoServer(t testing.TB) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 70000)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			c.WriteToUDPAddrPort(buf[:n], from)
		}
	}()
	return c
}

func TestInboundSocket(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{})
	peer := dialUDP(t, l.Addr())
	for _, m := range []string{"one", "two", "three"} {
		peer.Write([]byte(m))
	}
	e, b := env(t, Options{})
	closes := 0
	takeFlow(t, e, b, flows, &closes)
	run(t, e, `(async () => {
		const s = takeFlow();
		if (s.protocol !== "udp" || s.secureTransport !== "off" || s.upgraded !== false) throw new Error("flags");
		if (Object.prototype.toString.call(s) !== "[object Socket]") throw new Error("tag");
		const info = await s.opened;
		if (info.remoteAddress !== "PEER" || info.localAddress !== "LISTEN") throw new Error("opened " + JSON.stringify(info));
		const r = s.readable.getReader();
		const w = s.writable.getWriter();
		const dec = new TextDecoder();
		for (const want of ["one", "two", "three"]) {
			const { value, done } = await r.read();
			if (done) throw new Error("done early");
			if (Object.prototype.toString.call(value) !== "[object Datagram]") throw new Error("not a Datagram");
			if (!(value.data instanceof Uint8Array) || dec.decode(value.data) !== want) throw new Error("read " + dec.decode(value.data));
			await w.write(value); // a Datagram goes back as one datagram
		}
		const enc = new TextEncoder();
		await w.write(enc.encode("view"));
		await w.write(enc.encode("buffer").buffer);
		await w.write({ data: new DataView(enc.encode("dataview").buffer) });
		await w.write(new Uint8Array(0));
		let threw = null;
		try { await w.write(42); } catch (e) { threw = e; }
		if (!(threw instanceof TypeError)) throw new Error("bad chunk: " + threw);
		if (s.stats.packetsReceived !== 3 || s.stats.packetsSent !== 7) throw new Error("stats " + JSON.stringify(s.stats));
		const p = s.close();
		if (p !== s.closed) throw new Error("close() is not closed");
		await p;
		const end = await r.read();
		if (!end.done) throw new Error("read after close");
	})()`, "PEER", peer.LocalAddr(), "LISTEN", l.Addr())
	if closes != 1 {
		t.Fatalf("onClose ran %d times", closes)
	}
	want := []string{"one", "two", "three", "view", "buffer", "dataview", ""}
	buf := make([]byte, 100)
	for _, w := range want {
		peer.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := peer.Read(buf)
		if err != nil || string(buf[:n]) != w {
			t.Fatalf("peer got %q (%v), want %q", buf[:n], err, w)
		}
	}
}

func TestInboundBadWriteErrorsWritable(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{})
	dialUDP(t, l.Addr()).Write([]byte("x"))
	e, b := env(t, Options{})
	closes := 0
	takeFlow(t, e, b, flows, &closes)
	run(t, e, `(async () => {
		const s = takeFlow();
		const w = s.writable.getWriter();
		let threw = null;
		try { await w.write(new Uint8Array(65508)); } catch (e) { threw = e; }
		if (!(threw instanceof RangeError)) throw new Error("oversized: " + threw);
		await s.close();
	})()`)
}

func TestInboundIdleExpiryClosesSocket(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{IdleTimeout: 100 * time.Millisecond})
	dialUDP(t, l.Addr()).Write([]byte("x"))
	e, b := env(t, Options{})
	closes := 0
	takeFlow(t, e, b, flows, &closes)
	run(t, e, `(async () => {
		const s = takeFlow();
		const r = s.readable.getReader();
		const first = await r.read();
		if (first.done) throw new Error("no datagram");
		const t0 = Date.now();
		const end = await r.read();
		if (!end.done) throw new Error("not done");
		await s.closed;
		if (Date.now() - t0 < 50) throw new Error("expired too early");
	})()`)
	if closes != 1 {
		t.Fatalf("onClose ran %d times", closes)
	}
}

func TestSeedSocket(t *testing.T) {
	srv := echoServer(t)
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const socket = new Socket({
			type: 'udp',
			remote: { address: '127.0.0.1', port: PORT },
		});
		const enc = new TextEncoder();
		const writer = socket.writable.getWriter();
		await writer.write(enc.encode('hello world'));
		await writer.close();
		await socket.ready;
		if (socket.protocol !== "udp") throw new Error("protocol");
		const { value } = await socket.readable.getReader().read();
		if (new TextDecoder().decode(value.data) !== 'hello world') throw new Error("echo");
		const st = socket.stats;
		if (st.packetsSent !== 1 || st.packetsReceived !== 1 || st.bytesSent !== 11) throw new Error("stats " + JSON.stringify(st));
		if (!socket.info.remoteAddress.endsWith(":PORT")) throw new Error("info");
		const sig = socket.signal;
		await socket.abort();
		if (!sig.aborted) throw new Error("signal");
		try { await socket.closed; throw new Error("closed resolved after abort"); } catch (e) {
			if (e.name !== "AbortError") throw e;
		}
	})()`, "PORT", srv.LocalAddr().(*net.UDPAddr).Port)
}

func TestSeedSocketRefusedByPolicy(t *testing.T) {
	e, _ := env(t, Options{Policy: egress.Deployed()})
	run(t, e, `(async () => {
		const socket = new Socket({ type: 'udp', remote: { address: '127.0.0.1', port: 53 } });
		const writer = socket.writable.getWriter();
		try { await writer.write(new Uint8Array(1)); throw new Error("write resolved"); } catch (e) {
			if (!String(e.message).includes('rule "loopback"')) throw new Error("write: " + e.message);
		}
		try { await socket.ready; throw new Error("ready resolved"); } catch (e) {
			if (!String(e.message).includes("egress policy")) throw e;
		}
	})()`)
	e, _ = env(t, Options{})
	run(t, e, `(async () => {
		const socket = new Socket({ type: 'udp', remote: { address: '8.8.8.8', port: 53 } });
		try { await socket.opened; throw new Error("opened resolved"); } catch (e) {
			if (!String(e.message).includes("disabled")) throw e;
		}
	})()`)
}

func TestUDPSocketConnected(t *testing.T) {
	srv := echoServer(t)
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: PORT });
		if (Object.prototype.toString.call(s) !== "[object UDPSocket]" || !(s instanceof UDPSocket)) throw new Error("class");
		const { readable, writable, remoteAddress, remotePort, localAddress, localPort } = await s.opened;
		if (remoteAddress !== "127.0.0.1" || remotePort !== PORT || localAddress !== "127.0.0.1" || !(localPort > 0)) throw new Error("opened");
		const w = writable.getWriter();
		await w.write({ data: new TextEncoder().encode("ping") });
		let threw = null;
		try { await w.write({ data: new Uint8Array(1), remoteAddress: "127.0.0.1", remotePort: 1 }); } catch (e) { threw = e; }
		if (!(threw instanceof TypeError)) throw new Error("connected sendTo: " + threw);
		const { value } = await readable.getReader().read();
		if (new TextDecoder().decode(value.data) !== "ping" || value.remoteAddress !== "127.0.0.1" || value.remotePort !== PORT) throw new Error("message " + JSON.stringify(value));
		await s.close();
		await s.closed;
	})()`, "PORT", srv.LocalAddr().(*net.UDPAddr).Port)
}

func TestUDPSocketBound(t *testing.T) {
	srv := echoServer(t)
	port := srv.LocalAddr().(*net.UDPAddr).Port
	e, _ := env(t, Options{Policy: egress.Development(), AllowBind: true})
	run(t, e, `(async () => {
		const s = new UDPSocket({ localAddress: '127.0.0.1' });
		const { readable, writable, localAddress, localPort, remoteAddress } = await s.opened;
		if (localAddress !== "127.0.0.1" || !(localPort > 0) || remoteAddress !== undefined) throw new Error("opened");
		const w = writable.getWriter();
		await w.write({ data: new TextEncoder().encode("a"), remoteAddress: "127.0.0.1", remotePort: PORT });
		await w.write({ data: new TextEncoder().encode("b"), remoteAddress: "localhost", remotePort: PORT });
		const r = readable.getReader();
		const got = [];
		for (let i = 0; i < 2; i++) {
			const { value } = await r.read();
			if (value.remoteAddress !== "127.0.0.1" || value.remotePort !== PORT) throw new Error("from");
			got.push(new TextDecoder().decode(value.data));
		}
		if (got.sort().join() !== "a,b") throw new Error("got " + got);
		let threw = null;
		try { await w.write({ data: new Uint8Array(1) }); } catch (e) { threw = e; }
		if (!(threw instanceof TypeError)) throw new Error("no destination: " + threw);
		await s.close();
	})()`, "PORT", port)

	// The policy applies to each destination of a bound socket.
	e, _ = env(t, Options{Policy: egress.Deployed(), AllowBind: true})
	run(t, e, `(async () => {
		const s = new UDPSocket({ localAddress: '127.0.0.1', localPort: 0 });
		const { writable } = await s.opened;
		try { await writable.getWriter().write({ data: new Uint8Array(1), remoteAddress: "10.0.0.1", remotePort: PORT }); throw new Error("sent"); } catch (e) {
			if (!String(e.message).includes('rule "private"')) throw new Error("policy: " + e.message);
		}
		s.close();
	})()`, "PORT", port)

	// Binding is off unless the options allow it.
	e, _ = env(t, Options{Policy: egress.Development()})
	run(t, e, `(() => {
		try { new UDPSocket({ localAddress: '127.0.0.1' }); throw new Error("bound"); } catch (e) {
			if (!(e instanceof DOMException) || e.name !== "NotAllowedError") throw e;
		}
		for (const bad of [undefined, {}, { remoteAddress: "127.0.0.1" }, { remoteAddress: "127.0.0.1", remotePort: 70000 },
			{ remoteAddress: "127.0.0.1", remotePort: 1, localAddress: "127.0.0.1" }]) {
			try { new UDPSocket(bad); throw new Error("accepted " + JSON.stringify(bad)); } catch (e) {
				if (!(e instanceof TypeError)) throw e;
			}
		}
	})()`)
}

func TestConformance(t *testing.T) {
	e, _ := env(t, Options{Policy: egress.Development()})
	if err := e.RunModule("testdata/udp_socket_test.js", 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestSeedExampleVerbatim runs the proposal's example unchanged; it needs
// a route to 123.123.123.123 (no reply is expected: UDP does not wait for
// one), so it is skipped where the machine has none.
func TestSeedExampleVerbatim(t *testing.T) {
	c, err := net.Dial("udp", "123.123.123.123:1234")
	if err != nil {
		t.Skipf("no route for the example's address: %v", err)
	}
	c.Close()
	e, _ := env(t, Options{Policy: egress.Deployed()})
	if err := e.RunModule("testdata/seed_example.js", 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestInboundCloseAndAbortFromGo(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{})
	dialUDP(t, l.Addr()).Write([]byte("x"))
	dialUDP(t, l.Addr()).Write([]byte("y"))
	e, b := env(t, Options{})
	closes := 0
	takeFlow(t, e, b, flows, &closes)
	e.Runtime.Set("goClose", func(call goja.FunctionCall) goja.Value {
		b.Close(call.Argument(0).ToObject(e.Runtime))
		return goja.Undefined()
	})
	e.Runtime.Set("goAbort", func(call goja.FunctionCall) goja.Value {
		b.Abort(call.Argument(0).ToObject(e.Runtime), fmt.Errorf("handler failed"))
		return goja.Undefined()
	})
	run(t, e, `(async () => {
		const a = takeFlow(), b = takeFlow();
		goClose(a);
		await a.closed;
		goAbort(b);
		try { await b.closed; throw new Error("closed resolved"); } catch (e) {
			if (e.message !== "handler failed") throw e;
		}
		goClose({}); // not a socket: ignored
	})()`)
	if closes != 2 {
		t.Fatalf("onClose ran %d times", closes)
	}
	if n := l.Stats().Flows; n != 0 {
		t.Fatalf("%d flows still live after their sockets closed", n)
	}
}
