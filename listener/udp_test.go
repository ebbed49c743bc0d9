package listener

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

// listenUDP starts a listener on a free loopback port whose new flows are
// sent on the returned channel.
func listenUDP(t *testing.T, cfg UDPConfig) (*UDP, chan *Flow) {
	t.Helper()
	l, err := ListenUDP(context.Background(), Address{Network: "udp", HostPort: "127.0.0.1:0"}, cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	flows := make(chan *Flow, 1000)
	served := make(chan error, 1)
	go func() { served <- l.Serve(func(f *Flow) { flows <- f }) }()
	t.Cleanup(func() {
		l.Close()
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return l, flows
}

func peer(t *testing.T, to net.Addr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, to.(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func nextFlow(t *testing.T, flows chan *Flow) *Flow {
	t.Helper()
	select {
	case f := <-flows:
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no flow")
		return nil
	}
}

func readWithin(t *testing.T, f *Flow) []byte {
	t.Helper()
	type res struct {
		p   []byte
		err error
	}
	ch := make(chan res, 1)
	go func() { p, err := f.ReadDatagram(); ch <- res{p, err} }()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.p
	case <-time.After(5 * time.Second):
		t.Fatal("no datagram")
		return nil
	}
}

func TestUDPDemuxAndEcho(t *testing.T) {
	l, flows := listenUDP(t, UDPConfig{})
	a, b := peer(t, l.Addr()), peer(t, l.Addr())
	a.Write([]byte("a1"))
	fa := nextFlow(t, flows)
	b.Write([]byte("b1"))
	fb := nextFlow(t, flows)
	a.Write([]byte("a2"))
	if got := string(readWithin(t, fa)); got != "a1" {
		t.Fatalf("flow a read %q", got)
	}
	if got := string(readWithin(t, fa)); got != "a2" {
		t.Fatalf("flow a read %q", got)
	}
	if got := string(readWithin(t, fb)); got != "b1" {
		t.Fatalf("flow b read %q", got)
	}
	if fa.RemoteAddr().String() != a.LocalAddr().String() || fa.LocalAddr().String() != l.Addr().String() {
		t.Fatalf("addresses %v %v", fa.RemoteAddr(), fa.LocalAddr())
	}
	select {
	case f := <-flows:
		t.Fatalf("unexpected third flow from %v", f.RemoteAddr())
	default:
	}
	// Each write is exactly one datagram, whatever its size.
	for _, size := range []int{0, 1, 1400, 9000} {
		if err := fa.WriteDatagram(make([]byte, size)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 70000)
		a.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := a.Read(buf)
		if err != nil || n != size {
			t.Fatalf("peer read %d bytes (%v), want %d", n, err, size)
		}
	}
	if err := fa.WriteDatagram(make([]byte, MaxDatagramSize+1)); err == nil {
		t.Fatal("oversized datagram accepted")
	}
}

func TestUDPQueueBoundAndDrops(t *testing.T) {
	l, flows := listenUDP(t, UDPConfig{QueueLen: 4})
	a := peer(t, l.Addr())
	for i := range 20 {
		a.Write([]byte(fmt.Sprint(i)))
	}
	f := nextFlow(t, flows)
	deadline := time.Now().Add(5 * time.Second)
	for l.Stats().DroppedQueueFull+uint64(f.queued()) < 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if d := f.Dropped(); d != 16 {
		t.Fatalf("flow dropped %d, want 16", d)
	}
	if s := l.Stats(); s.DroppedQueueFull != 16 || s.Flows != 1 {
		t.Fatalf("stats %+v", s)
	}
	for i := range 4 {
		if got := string(readWithin(t, f)); got != fmt.Sprint(i) {
			t.Fatalf("read %q, want %d (oldest kept)", got, i)
		}
	}
	if p, ok := f.TryReadDatagram(); ok {
		t.Fatalf("fifth datagram %q queued", p)
	}
}

func TestUDPMaxFlows(t *testing.T) {
	l, flows := listenUDP(t, UDPConfig{MaxFlows: 2})
	for i := range 5 {
		peer(t, l.Addr()).Write([]byte{byte(i)})
	}
	f1, f2 := nextFlow(t, flows), nextFlow(t, flows)
	deadline := time.Now().Add(5 * time.Second)
	for l.Stats().DroppedNewFlow < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s := l.Stats(); s.DroppedNewFlow != 3 || s.Flows != 2 {
		t.Fatalf("stats %+v", s)
	}
	// A closed flow frees its slot.
	f1.Close()
	late := peer(t, l.Addr())
	late.Write([]byte("late"))
	f3 := nextFlow(t, flows)
	if got := string(readWithin(t, f3)); got != "late" {
		t.Fatalf("read %q", got)
	}
	_ = f2
}

func TestUDPIdleExpiry(t *testing.T) {
	l, flows := listenUDP(t, UDPConfig{IdleTimeout: 100 * time.Millisecond})
	a := peer(t, l.Addr())
	a.Write([]byte("x"))
	f := nextFlow(t, flows)
	readWithin(t, f)
	start := time.Now()
	errc := make(chan error, 1)
	go func() { _, err := f.ReadDatagram(); errc <- err }()
	select {
	case err := <-errc:
		if err != io.EOF {
			t.Fatalf("read after idle: %v, want EOF", err)
		}
		if el := time.Since(start); el < 50*time.Millisecond {
			t.Fatalf("expired after %v", el)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("flow did not expire")
	}
	select {
	case <-f.Done():
	default:
		t.Fatal("Done not closed")
	}
	if err := f.WriteDatagram([]byte("late")); err == nil {
		t.Fatal("write on an expired flow succeeded")
	}
	// The same peer starts a new flow.
	a.Write([]byte("again"))
	f2 := nextFlow(t, flows)
	if f2 == f {
		t.Fatal("expired flow reused")
	}
}

func TestUDPCloseEndsFlows(t *testing.T) {
	l, flows := listenUDP(t, UDPConfig{})
	peer(t, l.Addr()).Write([]byte("x"))
	f := nextFlow(t, flows)
	readWithin(t, f)
	errc := make(chan error, 1)
	go func() { _, err := f.ReadDatagram(); errc <- err }()
	l.Close()
	select {
	case err := <-errc:
		if err != io.EOF {
			t.Fatalf("read after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reader not woken by Close")
	}
}

func TestListenUDPPortInUse(t *testing.T) {
	l, _ := listenUDP(t, UDPConfig{})
	_, err := ListenUDP(context.Background(), Address{Network: "udp", HostPort: l.Addr().String()}, UDPConfig{}, nil)
	if err == nil {
		t.Fatal("second bind succeeded")
	}
}

func TestRateLog(t *testing.T) {
	var r rateLog
	if !r.allow() || r.allow() {
		t.Fatal("rateLog lets more than one message a second through")
	}
}

func TestUDPReadDatagramContext(t *testing.T) {
	l, flows := listenUDP(t, UDPConfig{})
	a := peer(t, l.Addr())
	a.Write([]byte("first"))
	f := nextFlow(t, flows)
	ctx, cancel := context.WithCancel(context.Background())
	if p, err := f.ReadDatagramContext(ctx); err != nil || string(p) != "first" {
		t.Fatalf("read %q, %v", p, err)
	}
	// A cancel wakes a blocked read and loses nothing: the next datagram is
	// still there for the read after.
	errc := make(chan error, 1)
	go func() { _, err := f.ReadDatagramContext(ctx); errc <- err }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled read: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not wake the read")
	}
	a.Write([]byte("second"))
	if got := string(readWithin(t, f)); got != "second" {
		t.Fatalf("read %q after the cancel", got)
	}
	f.Close()
	if _, err := f.ReadDatagramContext(context.Background()); err != io.EOF {
		t.Fatalf("read after Close: %v", err)
	}
}
