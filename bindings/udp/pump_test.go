package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/egress"
	"github.com/sockw/sockw/listener"
	"github.com/sockw/sockw/runtime/eventloop"
)

// pumpEnv is env plus takeFlow() as in takeFlow, pumping(i), which reports
// whether the i-th socket made in the isolate (flows and SEED sockets, in
// order) has a pump reading it, and pumpingInto(i), sending on it.
func pumpEnv(t *testing.T, opts Options, flows chan *listener.Flow) (*bindingstest.Env, *Binding, *[]*socket) {
	e, b := env(t, opts)
	return e, b, trackSockets(t, e, b, flows)
}

func trackSockets(t *testing.T, e *bindingstest.Env, b *Binding, flows chan *listener.Flow) *[]*socket {
	var made []*socket
	rt := e.Runtime
	remember := func(o *goja.Object) {
		s, ok := b.socketObj(o)
		if !ok {
			panic(rt.NewTypeError("not a socket"))
		}
		made = append(made, s)
	}
	closes := 0
	takeFlow(t, e, b, flows, &closes)
	take, _ := goja.AssertFunction(rt.Get("takeFlow"))
	rt.Set("takeFlow", func(call goja.FunctionCall) goja.Value {
		v, err := take(goja.Undefined())
		if err != nil {
			panic(err)
		}
		remember(v.ToObject(rt))
		return v
	})
	if seed, ok := goja.AssertConstructor(rt.Get("Socket")); ok {
		rt.Set("Socket", func(call goja.ConstructorCall) *goja.Object {
			o, err := seed(nil, call.Arguments...)
			if err != nil {
				panic(err)
			}
			remember(o)
			return o
		})
	}
	rt.Set("pumping", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(made[call.Argument(0).ToInteger()].pumpOut != nil)
	})
	rt.Set("pumpingInto", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(made[call.Argument(0).ToInteger()].pumpIn != nil)
	})
	return &made
}

// peerDo runs f on a goroutine as the test's peer and, once it returns,
// calls the script's finish() on the loop. The error f returned is
// received from the channel.
func peerDo(e *bindingstest.Env, f func() error) <-chan error {
	errc := make(chan error, 1)
	go func() {
		err := f()
		errc <- err
		e.Loop.Enqueue(func() error {
			fin, ok := goja.AssertFunction(e.Runtime.Get("finish"))
			if !ok {
				return errors.New("the script defined no finish()")
			}
			_, err := fin(goja.Undefined())
			return err
		})
	}()
	return errc
}

// echoes sends each message and waits for it to come back unchanged.
func echoes(c *net.UDPConn, msgs ...string) error {
	buf := make([]byte, 2000)
	for _, m := range msgs {
		if _, err := c.Write([]byte(m)); err != nil {
			return err
		}
		if err := expect(c, buf, m); err != nil {
			return err
		}
	}
	return nil
}

// expect reads one datagram from c and checks it is want.
func expect(c *net.UDPConn, buf []byte, want string) error {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Read(buf)
	if err != nil {
		return fmt.Errorf("waiting for %q: %w", want, err)
	}
	if got := string(buf[:n]); got != want {
		return fmt.Errorf("got %q, want %q", got, want)
	}
	return nil
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d %s", prefix, i, string(make([]byte, i%50)))
	}
	return out
}

// An inbound socket piped into itself echoes every datagram, unchanged and
// in order, without the datagrams entering JavaScript; close() then ends
// the pipe cleanly: the readable closes, the pipe closes the writable, and
// pipeTo fulfils.
func TestPipeToEcho(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{})
	peer := dialUDP(t, l.Addr())
	peer.Write([]byte("first"))
	before := goroutinesOnceServing(t, flows)
	e, _, _ := pumpEnv(t, Options{}, flows)
	one, burst := numbered("one at a time", 100), numbered("burst", 32)
	var bytes int
	for _, m := range append(append([]string{"first"}, one...), burst...) {
		bytes += len(m)
	}
	errc := peerDo(e, func() error {
		buf := make([]byte, 2000)
		if err := expect(peer, buf, "first"); err != nil {
			return err
		}
		if err := echoes(peer, one...); err != nil {
			return err
		}
		for _, m := range burst {
			peer.Write([]byte(m))
		}
		for _, m := range burst {
			if err := expect(peer, buf, m); err != nil {
				return err
			}
		}
		return nil
	})
	run(t, e, `(async () => {
		const s = takeFlow();
		const piped = s.readable.pipeTo(s.writable).then(() => "fulfilled", (e) => "rejected: " + e);
		if (!pumping(0)) throw new Error("no pump");
		globalThis.finish = () => { s.close(); };
		const how = await piped;
		if (how !== "fulfilled") throw new Error("pipeTo " + how);
		const st = s.stats;
		if (st.packetsReceived !== NDGRAM || st.packetsSent !== NDGRAM || st.bytesReceived !== NBYTES || st.bytesSent !== NBYTES) {
			throw new Error("stats " + JSON.stringify(st));
		}
		if (!(await s.readable.getReader().read()).done) throw new Error("readable not closed");
		await s.writable.getWriter().closed; // closed by the pipe, not errored by the socket
		await s.closed;
	})()`, "NBYTES", bytes, "NDGRAM", 1+len(one)+len(burst))
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	bindingstest.CheckGoroutines(t, before)
}

// The flow's end (here its idle timeout) is the source's end: the pipe
// closes the writable and fulfils, and the socket closes.
func TestPipeToFlowEnds(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{IdleTimeout: 100 * time.Millisecond})
	peer := dialUDP(t, l.Addr())
	peer.Write([]byte("x"))
	e, b := env(t, Options{})
	closes := 0
	takeFlow(t, e, b, flows, &closes)
	run(t, e, `(async () => {
		const s = takeFlow();
		await s.readable.pipeTo(s.writable);
		await s.writable.getWriter().closed;
		await s.closed;
		if (s.stats.packetsSent !== 1) throw new Error("stats " + JSON.stringify(s.stats));
	})()`)
	if closes != 1 {
		t.Fatalf("onClose ran %d times", closes)
	}
	if err := expect(peer, make([]byte, 10), "x"); err != nil {
		t.Fatal(err)
	}
}

// Two sockets: an inbound flow piped into a SEED socket connected to an
// echo server and back, as a UDP proxy would; both pipes run in Go. The
// flow's end then ends the first pipe, which closes the SEED socket's
// writable unless preventClose.
func TestPipeToBetweenSockets(t *testing.T) {
	for _, preventClose := range []bool{false, true} {
		t.Run(fmt.Sprintf("preventClose=%v", preventClose), func(t *testing.T) {
			srv := echoServer(t)
			l, flows := udpListener(t, listener.UDPConfig{})
			peer := dialUDP(t, l.Addr())
			peer.Write([]byte("hello"))
			before := goroutinesOnceServing(t, flows)
			e, b, _ := pumpEnv(t, Options{Policy: egress.Development()}, flows)
			e.Runtime.Set("endFlow", func(goja.FunctionCall) goja.Value {
				l.Close() // every flow ends
				return goja.Undefined()
			})
			msgs := numbered("proxied", 50)
			errc := peerDo(e, func() error {
				if err := expect(peer, make([]byte, 2000), "hello"); err != nil {
					return err
				}
				return echoes(peer, msgs...)
			})
			run(t, e, `(async () => {
				const flow = takeFlow();
				const up = new Socket({ type: 'udp', remote: { address: '127.0.0.1', port: PORT } });
				await up.opened;
				const out = flow.readable.pipeTo(up.writable, { preventClose: PREVENT });
				const back = up.readable.pipeTo(flow.writable).then(() => "fulfilled", (e) => "rejected: " + e);
				if (!pumping(0) || !pumping(1)) throw new Error("not pumped");
				globalThis.finish = () => endFlow();
				await out;
				// The flow's end errored its writable, into which the other
				// pipe was sending: that pipe fails, and cancels up's readable.
				if (await back !== "rejected: undefined") throw new Error("back: " + await back);
				if (up.stats.packetsSent !== NMSG || up.stats.packetsReceived !== NMSG) throw new Error("stats " + JSON.stringify(up.stats));
				const w = up.writable.getWriter();
				if (PREVENT) {
					await w.write(new TextEncoder().encode("after"));
					if (up.stats.packetsSent !== NMSG + 1) throw new Error("not sent");
				} else {
					await w.closed;
				}
				up.close();
			})()`, "PORT", srv.LocalAddr().(*net.UDPAddr).Port, "PREVENT", preventClose, "NMSG", len(msgs)+1)
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			_ = b
			bindingstest.CheckGoroutines(t, before)
		})
	}
}

// A failed send errors the writable and cancels the readable (unless
// preventCancel); pipeTo rejects with the send's error. The send fails
// for real: the SEED socket's peer port is closed, and the ICMP error
// fails the next send on the connected socket.
func TestPipeToSendError(t *testing.T) {
	for _, preventCancel := range []bool{false, true} {
		t.Run(fmt.Sprintf("preventCancel=%v", preventCancel), func(t *testing.T) {
			closedPort := freeUDPPort(t)
			l, flows := udpListener(t, listener.UDPConfig{})
			peer := dialUDP(t, l.Addr())
			peer.Write([]byte("one"))
			e, _, _ := pumpEnv(t, Options{Policy: egress.Development()}, flows)
			errc := peerDo(e, func() error {
				// Each datagram goes to the closed port; the ICMP answer to
				// one fails a later send.
				for i := 0; i < 50; i++ {
					time.Sleep(10 * time.Millisecond)
					peer.Write([]byte("more"))
				}
				return nil
			})
			run(t, e, `(async () => {
				globalThis.finish = () => {};
				const flow = takeFlow();
				const dead = new Socket({ type: 'udp', remote: { address: '127.0.0.1', port: PORT } });
				await dead.opened;
				let err = null;
				try { await flow.readable.pipeTo(dead.writable, { preventCancel: PREVENT }); } catch (e) { err = e; }
				if (!(err instanceof Error) || !err.message.startsWith("udp send: ") || !err.message.includes("refused")) throw new Error("pipeTo: " + err);
				try { await dead.writable.getWriter().closed; throw new Error("writable not errored"); } catch (e) {
					if (e !== err) throw e;
				}
				const r = flow.readable.getReader();
				if (PREVENT) {
					const { value, done } = await r.read();
					if (done || new TextDecoder().decode(value.data) !== "more") throw new Error("readable after the pipe");
				} else if (!(await r.read()).done) {
					throw new Error("readable not cancelled");
				}
				flow.close();
				dead.close();
			})()`, "PORT", closedPort, "PREVENT", preventCancel)
			<-errc
		})
	}
}

// A failed read errors the readable, aborts the writable unless
// preventAbort, and rejects pipeTo; the socket that failed closes. The read
// fails for real: a connected socket whose peer port is closed reads the
// ICMP error.
func TestPipeToReadError(t *testing.T) {
	for _, preventAbort := range []bool{false, true} {
		t.Run(fmt.Sprintf("preventAbort=%v", preventAbort), func(t *testing.T) {
			closedPort := freeUDPPort(t)
			l, flows := udpListener(t, listener.UDPConfig{})
			peer := dialUDP(t, l.Addr())
			peer.Write([]byte("x"))
			e, _, _ := pumpEnv(t, Options{Policy: egress.Development()}, flows)
			run(t, e, `(async () => {
				const flow = takeFlow();
				const dead = new Socket({ type: 'udp', remote: { address: '127.0.0.1', port: PORT } });
				await dead.opened;
				const piped = dead.readable.pipeTo(flow.writable, { preventAbort: PREVENT });
				if (!pumping(1)) throw new Error("not pumped");
				await dead.writable.getWriter().write(new Uint8Array(1)); // the ICMP answer fails the read
				let err = null;
				try { await piped; } catch (e) { err = e; }
				if (!(err instanceof Error) || !err.message.startsWith("udp read: ")) throw new Error("pipeTo: " + err);
				try { await dead.closed; throw new Error("closed fulfilled"); } catch (e) { if (e !== err) throw e; }
				const w = flow.writable.getWriter();
				if (PREVENT) {
					await w.write(new TextEncoder().encode("still"));
				} else {
					try { await w.closed; throw new Error("writable not aborted"); } catch (e) { if (e !== err) throw e; }
				}
				flow.close();
			})()`, "PORT", closedPort, "PREVENT", preventAbort)
			if preventAbort {
				buf := make([]byte, 10)
				if err := expect(peer, buf, "still"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// Closing the socket a pipe sends into fails the pipe, as a write to the
// closed socket would, and stops the pump at once although its source is
// idle; with preventCancel, the source's next datagram goes to the script's
// next read. Closing the source socket is its clean end: the pipe closes
// the destination and fulfils.
func TestPipeToCloseDuringPipe(t *testing.T) {
	srv := echoServer(t)
	l, flows := udpListener(t, listener.UDPConfig{})
	peer := dialUDP(t, l.Addr())
	peer.Write([]byte("x"))
	before := goroutinesOnceServing(t, flows)
	e, _, _ := pumpEnv(t, Options{Policy: egress.Development()}, flows)
	e.Runtime.Set("peerSend", func(call goja.FunctionCall) goja.Value {
		peer.Write([]byte(call.Argument(0).String()))
		return goja.Undefined()
	})
	run(t, e, `(async () => {
		const flow = takeFlow();
		const a = new Socket({ type: 'udp', remote: { address: '127.0.0.1', port: PORT } });
		await a.opened;
		const r0 = flow.readable.getReader();
		await r0.read(); // "x"
		r0.releaseLock();
		const piped = flow.readable.pipeTo(a.writable, { preventCancel: true });
		if (!pumping(0)) throw new Error("not pumped");
		a.close();
		let err = "none";
		try { await piped; } catch (e) { err = e; }
		if (err !== undefined) throw new Error("pipeTo: " + err);
		// The read waits for the stopped pump's goroutine, then takes the
		// datagram sent now.
		const r = flow.readable.getReader();
		const next = r.read();
		peerSend("after");
		const { value } = await next;
		if (new TextDecoder().decode(value.data) !== "after") throw new Error("read after the pipe");
		r.releaseLock();

		const b = new Socket({ type: 'udp', remote: { address: '127.0.0.1', port: PORT } });
		await b.opened;
		const piped2 = flow.readable.pipeTo(b.writable);
		if (!pumping(0)) throw new Error("not pumped again");
		flow.close();
		await piped2;
		await b.writable.getWriter().closed;
		b.close();
	})()`, "PORT", srv.LocalAddr().(*net.UDPAddr).Port)
	bindingstest.CheckGoroutines(t, before)
}

// The isolate's end stops a pump: its goroutine exits.
func TestPipeToIsolateEnds(t *testing.T) {
	l, flows := udpListener(t, listener.UDPConfig{})
	peer := dialUDP(t, l.Addr())
	peer.Write([]byte("x"))
	before := goroutinesOnceServing(t, flows)
	e := bindingstest.New(t)
	ctx, cancel := context.WithCancel(e.Context)
	e.Context = ctx
	b := installBindings(t, e, Options{})
	trackSockets(t, e, b, flows)
	e.Runtime.Set("endIsolate", func(goja.FunctionCall) goja.Value { cancel(); return goja.Undefined() })
	err := e.Run(t.Name(), `(async () => {
		const s = takeFlow();
		s.readable.pipeTo(s.writable);
		if (!pumping(0)) throw new Error("not pumped");
		setTimeout(endIsolate, 20);
	})()`, 10*time.Second)
	// The loop may notice the end, have a task interrupted by it, or run
	// out of work first.
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, eventloop.ErrStopped) {
		t.Fatalf("Run: %v", err)
	}
	bindingstest.CheckGoroutines(t, before)
}

// Pipes whose ends are not both Datagram sockets sending to one peer stay
// with the JS pipe: a Direct Sockets UDPSocket's readable (its messages
// carry their sender), and a bound UDPSocket's writable (each message
// names its destination). A connected UDPSocket's writable takes a pump.
func TestPipeToDirectSockets(t *testing.T) {
	srv := echoServer(t)
	l, flows := udpListener(t, listener.UDPConfig{})
	peer := dialUDP(t, l.Addr())
	peer.Write([]byte("x"))
	e, _, made := pumpEnv(t, Options{Policy: egress.Development(), AllowBind: true}, flows)
	run(t, e, `(async () => {
		const flow = takeFlow();
		const connected = new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: PORT });
		const c = await connected.opened;
		c.readable.pipeTo(flow.writable).catch(() => {});
		if (pumpingInto(0)) throw new Error("a pump from a UDPSocket");
		const bound = new UDPSocket({ localAddress: '127.0.0.1' });
		const bd = await bound.opened;
		flow.readable.pipeTo(bd.writable).catch(() => {});
		if (pumping(0)) throw new Error("a pump into a bound socket");
		await new Promise((r) => setTimeout(r, 10));
		bound.close();
		connected.close();
		flow.close();
	})()`, "PORT", srv.LocalAddr().(*net.UDPAddr).Port)
	for _, s := range *made {
		if s.pumpOut != nil {
			t.Fatal("a pump is left")
		}
	}

	// The connected UDPSocket's writable takes a pump from a flow.
	peer2 := dialUDP(t, l.Addr())
	peer2.Write([]byte("to the echo server"))
	e, _, _ = pumpEnv(t, Options{Policy: egress.Development()}, flows)
	run(t, e, `(async () => {
		const flow = takeFlow();
		const connected = new UDPSocket({ remoteAddress: '127.0.0.1', remotePort: PORT });
		const c = await connected.opened;
		const piped = flow.readable.pipeTo(c.writable);
		if (!pumping(0)) throw new Error("not pumped");
		const { value } = await c.readable.getReader().read();
		if (new TextDecoder().decode(value.data) !== "to the echo server") throw new Error("echo");
		flow.close();
		await piped;
		connected.close();
	})()`, "PORT", srv.LocalAddr().(*net.UDPAddr).Port)
}

// goroutinesOnceServing is the number of goroutines once the listener
// serves (its first flow is queued): its own have all started.
func goroutinesOnceServing(t *testing.T, flows chan *listener.Flow) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(flows) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no flow")
		}
		time.Sleep(time.Millisecond)
	}
	return runtime.NumGoroutine()
}

// freeUDPPort returns a loopback port nothing listens on.
func freeUDPPort(t *testing.T) int {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	return port
}
