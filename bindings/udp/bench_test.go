package udp

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/listener"
)

// BenchmarkInstall is the per-isolate cost of Install alone: it installs
// into one runtime again and again, so that the garbage of setting up fresh
// runtimes does not land in the figure.
func BenchmarkInstall(b *testing.B) {
	e := bindingstest.New(b)
	if err := events.Install(e.Host); err != nil {
		b.Fatal(err)
	}
	st, err := streams.Install(e.Host)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Install(e.Host, st, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundTrip64 measures 64-byte datagram round trips from Go
// peers, through inbound flows echoed by a JavaScript reader/writer loop, by
// socket.readable.pipeTo(socket.writable) (a pump: no JavaScript per
// datagram) and through a plain Go UDP echo server, in the same run for the
// ratios: one flow in turn, and 50 flows at once (the figure).
// cpu-ns/op is the whole process's CPU, peers included.
func BenchmarkRoundTrip64(b *testing.B) {
	for _, flows := range []int{1, 50} {
		b.Run(fmt.Sprintf("js-flow/flows=%d", flows), func(b *testing.B) {
			addr, stop := jsEchoListener(b, echoLoop)
			roundTrips(b, addr, flows)
			stop()
		})
		b.Run(fmt.Sprintf("js-pipe/flows=%d", flows), func(b *testing.B) {
			addr, stop := jsEchoListener(b, echoPipe)
			roundTrips(b, addr, flows)
			stop()
		})
		b.Run(fmt.Sprintf("go/flows=%d", flows), func(b *testing.B) {
			srv := echoServer(b)
			roundTrips(b, srv.LocalAddr(), flows)
		})
	}
}

// The echo scripts jsEchoListener runs for each flow.
const (
	echoLoop = `globalThis.echo = async (s) => {
		const r = s.readable.getReader();
		const w = s.writable.getWriter();
		for (;;) {
			const { value, done } = await r.read();
			if (done) return;
			w.write(value);
		}
	}`
	echoPipe = `globalThis.echo = (s) => s.readable.pipeTo(s.writable).catch(() => {})`
)

// jsEchoListener serves a UDP listener whose flows are echoed by the script
// echo defines, in one isolate; stop ends it and waits for the loop to
// finish.
func jsEchoListener(b *testing.B, echoSrc string) (net.Addr, func()) {
	l, flows := udpListener(b, listener.UDPConfig{})
	e, bind := env(b, Options{})
	if _, err := e.Runtime.RunString(echoSrc); err != nil {
		b.Fatal(err)
	}
	echo, _ := goja.AssertFunction(e.Runtime.Get("echo"))
	unref := e.Loop.Ref()
	go func() {
		for f := range flows {
			e.Loop.Enqueue(func() error {
				o, err := bind.NewInbound(f, nil)
				if err != nil {
					return err
				}
				_, err = echo(goja.Undefined(), o)
				return err
			})
		}
	}()
	ran := make(chan error, 1)
	go func() { ran <- e.Run("bench.js", "", 10*time.Minute) }()
	return l.Addr(), func() {
		e.Loop.Enqueue(func() error { unref(); return nil })
		l.Close()
		close(flows)
		if err := <-ran; err != nil {
			b.Fatal(err)
		}
	}
}

// roundTrips runs b.N round trips spread over flows peers at once.
func roundTrips(b *testing.B, to net.Addr, flows int) {
	peers := make([]*net.UDPConn, flows)
	for i := range peers {
		peers[i] = dialUDP(b, to)
		// The first round trip starts the flow.
		if err := roundTrip(peers[i], make([]byte, 64), make([]byte, 128)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	var wg sync.WaitGroup
	errs := make(chan error, flows)
	for i, c := range peers {
		n := b.N / flows
		if i < b.N%flows {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg, buf := make([]byte, 64), make([]byte, 128)
			for range n {
				if err := roundTrip(c, msg, buf); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

func roundTrip(c *net.UDPConn, msg, buf []byte) error {
	if _, err := c.Write(msg); err != nil {
		return err
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Read(buf)
	if err == nil && n != len(msg) {
		err = fmt.Errorf("read %d bytes, want %d", n, len(msg))
	}
	return err
}

// cpuTime is the CPU time the whole process has used (client included),
// the fairer figure on a loaded machine than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memFlow is a Flow whose datagrams are always there and whose writes are
// discarded: the JavaScript cost of an echo, without the network. A pump's
// reads (ReadDatagramContext) get left datagrams, then the flow's end.
type memFlow struct {
	p    []byte
	left int
	sent int
	done chan struct{}
}

func (m *memFlow) ReadDatagram() ([]byte, error) { return m.p, nil }
func (m *memFlow) ReadDatagramContext(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m.left == 0 {
		return nil, io.EOF
	}
	m.left--
	return append([]byte(nil), m.p...), nil // as a listener's flow copies
}
func (m *memFlow) TryReadDatagram() ([]byte, bool) { return append([]byte(nil), m.p...), true }
func (m *memFlow) WriteDatagram(p []byte) error    { m.sent++; return nil }
func (m *memFlow) Close() error                    { return nil }
func (m *memFlow) RemoteAddr() net.Addr            { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (m *memFlow) LocalAddr() net.Addr             { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2} }
func (m *memFlow) Done() <-chan struct{}           { return m.done }

// BenchmarkEchoDatagramInMemory is one datagram read and written back by a
// JS reader/writer loop, with no network: the binding's own cost.
func BenchmarkEchoDatagramInMemory(b *testing.B) {
	benchEchoInMemory(b, &memFlow{p: make([]byte, 64), done: make(chan struct{})}, `(async () => {
		const s = take();
		const r = s.readable.getReader();
		const w = s.writable.getWriter();
		for (let i = 0; i < N; i++) {
			const { value } = await r.read();
			await w.write(value);
		}
		s.close();
	})()`)
}

// benchEchoInMemory runs script, which echoes b.N datagrams of the inbound
// socket take() returns over f, and checks that all of them were sent.
func benchEchoInMemory(b *testing.B, f *memFlow, script string) {
	e, bind := env(b, Options{})
	e.Runtime.Set("N", b.N)
	e.Runtime.Set("take", func(goja.FunctionCall) goja.Value {
		o, err := bind.NewInbound(f, nil)
		if err != nil {
			panic(err)
		}
		return o
	})
	b.ReportAllocs()
	b.ResetTimer()
	if err := e.Run("bench.js", script, time.Minute); err != nil {
		b.Fatal(err)
	}
	if f.sent != b.N {
		b.Fatalf("sent %d, want %d", f.sent, b.N)
	}
}

// BenchmarkEchoDatagramInMemoryPiped is BenchmarkEchoDatagramInMemory's
// echo by socket.readable.pipeTo(socket.writable): the pump's cost per
// datagram, with no network and no JavaScript per datagram.
func BenchmarkEchoDatagramInMemoryPiped(b *testing.B) {
	benchEchoInMemory(b, &memFlow{p: make([]byte, 64), left: b.N, done: make(chan struct{})}, `(async () => {
		const s = take();
		await s.readable.pipeTo(s.writable);
	})()`)
}

// BenchmarkEchoFloorPureJS is BenchmarkEchoDatagramInMemory's loop over
// streams whose source and sink are plain JavaScript: the floor that the
// stream classes set for any default (object) stream in goja.
func BenchmarkEchoFloorPureJS(b *testing.B) {
	e, _ := env(b, Options{})
	e.Runtime.Set("N", b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if err := e.Run("bench.js", `(async () => {
		const chunk = { data: new Uint8Array(64) };
		const rs = new ReadableStream({ pull(c) { c.enqueue(chunk); } }, { highWaterMark: 0 });
		let sent = 0;
		const ws = new WritableStream({ write(m) { sent++; } });
		const r = rs.getReader();
		const w = ws.getWriter();
		for (let i = 0; i < N; i++) {
			const { value } = await r.read();
			await w.write(value);
		}
		if (sent !== N) throw new Error("sent " + sent);
	})()`, time.Minute); err != nil {
		b.Fatal(err)
	}
}
