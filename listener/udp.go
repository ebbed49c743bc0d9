package listener

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// MaxDatagramSize is the largest UDP payload over IPv4 (65535 minus the IP
// and UDP headers); a larger write is refused rather than truncated.
const MaxDatagramSize = 65507

// readBufferSize holds any datagram the kernel can deliver, so none is
// silently truncated.
const readBufferSize = 64 << 10

// UDPConfig bounds what a UDP listener holds on behalf of its peers. Zero
// fields take the defaults.
type UDPConfig struct {
	// MaxFlows is the number of live flows; datagrams from further new
	// sources are dropped and counted. Default 10000.
	MaxFlows int
	// QueueLen is the number of datagrams queued per flow while its reader
	// is busy; excess ones are dropped and counted. Default 64.
	QueueLen int
	// IdleTimeout ends a flow that has neither received nor sent a datagram
	// for this long. Default 30 s.
	IdleTimeout time.Duration
}

func (c UDPConfig) withDefaults() UDPConfig {
	if c.MaxFlows <= 0 {
		c.MaxFlows = 10000
	}
	if c.QueueLen <= 0 {
		c.QueueLen = 64
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 30 * time.Second
	}
	return c
}

// UDPStats counts what a UDP listener dropped.
type UDPStats struct {
	// Flows is the number of live flows.
	Flows int
	// DroppedNewFlow counts datagrams from new sources refused because
	// MaxFlows flows were live.
	DroppedNewFlow uint64
	// DroppedQueueFull counts datagrams refused because their flow's queue
	// was full.
	DroppedQueueFull uint64
}

// UDP demultiplexes the datagrams arriving on one address into flows, one
// per source ip:port.
type UDP struct {
	addr   Address
	conn   *net.UDPConn
	cfg    UDPConfig
	logger *zap.Logger

	mu     sync.Mutex
	flows  map[netip.AddrPort]*Flow
	closed bool
	stop   chan struct{} // closed by Close; ends the idle sweeper

	droppedNewFlow   atomic.Uint64
	droppedQueueFull atomic.Uint64
	logNewFlow       rateLog
	logQueueFull     rateLog
}

// ListenUDP binds addr. A port in use or a host that cannot be bound is an
// error naming the address.
func ListenUDP(ctx context.Context, addr Address, cfg UDPConfig, logger *zap.Logger) (*UDP, error) {
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr.HostPort)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, unwrapOp(err))
	}
	if logger == nil {
		logger = zap.NewNop()
	}
	return &UDP{
		addr:   addr,
		conn:   pc.(*net.UDPConn),
		cfg:    cfg.withDefaults(),
		logger: logger,
		flows:  map[netip.AddrPort]*Flow{},
		stop:   make(chan struct{}),
	}, nil
}

// Addr returns the bound address (with the real port if 0 was asked for).
func (l *UDP) Addr() net.Addr { return l.conn.LocalAddr() }

// Stats returns the number of live flows and the drop counters.
func (l *UDP) Stats() UDPStats {
	l.mu.Lock()
	n := len(l.flows)
	l.mu.Unlock()
	return UDPStats{Flows: n, DroppedNewFlow: l.droppedNewFlow.Load(), DroppedQueueFull: l.droppedQueueFull.Load()}
}

// Serve reads datagrams until Close. The first datagram from a new source
// starts a flow and calls handle with it, on the reading goroutine: handle
// must hand the flow off without blocking. Serve returns ErrServerClosed
// after Close. Read errors other than the close are logged and retried with
// backoff, so a burst of ICMP errors or a full machine cannot stop it.
func (l *UDP) Serve(handle func(*Flow)) error {
	go l.sweep()
	buf := make([]byte, readBufferSize)
	var delay time.Duration
	for {
		n, from, err := l.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			if delay == 0 {
				delay = 5 * time.Millisecond
			} else if delay *= 2; delay > time.Second {
				delay = time.Second
			}
			l.logger.Warn("udp read failed; retrying", zap.Stringer("listen", l.addr), zap.Error(err), zap.Duration("retry_in", delay))
			time.Sleep(delay)
			continue
		}
		delay = 0
		l.dispatch(buf[:n], from, handle)
	}
}

// dispatch queues one datagram on its source's flow, starting the flow if
// it is new.
func (l *UDP) dispatch(p []byte, from netip.AddrPort, handle func(*Flow)) {
	from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	f, ok := l.flows[from]
	if !ok {
		if len(l.flows) >= l.cfg.MaxFlows {
			l.mu.Unlock()
			n := l.droppedNewFlow.Add(1)
			if l.logNewFlow.allow() {
				l.logger.Warn("udp: too many flows; dropping datagrams from new sources",
					zap.Stringer("listen", l.addr), zap.Int("max_flows", l.cfg.MaxFlows), zap.Uint64("dropped_total", n))
			}
			return
		}
		f = l.newFlow(from)
		l.flows[from] = f
	}
	l.mu.Unlock()
	if !f.push(append([]byte(nil), p...)) {
		n := l.droppedQueueFull.Add(1)
		if l.logQueueFull.allow() {
			l.logger.Warn("udp: a flow's queue is full; dropping datagrams",
				zap.Stringer("listen", l.addr), zap.Stringer("remote", from), zap.Int("queue_len", l.cfg.QueueLen), zap.Uint64("dropped_total", n))
		}
	}
	if !ok && handle != nil {
		handle(f)
	}
}

// sweep ends flows that have been idle for the idle timeout.
func (l *UDP) sweep() {
	period := l.cfg.IdleTimeout / 4
	period = min(max(period, 5*time.Millisecond), time.Second)
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case now := <-t.C:
			deadline := now.Add(-l.cfg.IdleTimeout).UnixNano()
			var idle []*Flow
			l.mu.Lock()
			for _, f := range l.flows {
				if f.lastActive.Load() < deadline {
					idle = append(idle, f)
				}
			}
			l.mu.Unlock()
			for _, f := range idle {
				f.Close()
			}
		}
	}
}

// Close stops reading and ends every flow: their readers get io.EOF.
func (l *UDP) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.stop)
	flows := make([]*Flow, 0, len(l.flows))
	for _, f := range l.flows {
		flows = append(flows, f)
	}
	l.mu.Unlock()
	for _, f := range flows {
		f.Close()
	}
	return l.conn.Close()
}

func (l *UDP) remove(f *Flow) {
	l.mu.Lock()
	if l.flows[f.remote] == f {
		delete(l.flows, f.remote)
	}
	l.mu.Unlock()
}

// Flow is the datagrams exchanged with one source ip:port of a UDP
// listener. Its methods are safe for concurrent use.
type Flow struct {
	l      *UDP
	remote netip.AddrPort

	mu     sync.Mutex
	queue  [][]byte // a ring of cap QueueLen
	head   int
	n      int
	closed bool

	ready      chan struct{} // holds a token while the queue may be non-empty
	done       chan struct{}
	lastActive atomic.Int64 // unix nanoseconds
	dropped    atomic.Uint64
}

func (l *UDP) newFlow(remote netip.AddrPort) *Flow {
	f := &Flow{
		l:      l,
		remote: remote,
		queue:  make([][]byte, l.cfg.QueueLen),
		ready:  make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
	f.touch()
	return f
}

func (f *Flow) touch() { f.lastActive.Store(time.Now().UnixNano()) }

// push queues p; it reports false when the queue is full or the flow is
// closed.
func (f *Flow) push(p []byte) bool {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return true // a flow ending is not a drop worth reporting
	}
	if f.n == len(f.queue) {
		f.mu.Unlock()
		f.dropped.Add(1)
		return false
	}
	f.queue[(f.head+f.n)%len(f.queue)] = p
	f.n++
	f.mu.Unlock()
	f.touch()
	select {
	case f.ready <- struct{}{}:
	default:
	}
	return true
}

// queued is the number of datagrams waiting.
func (f *Flow) queued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// TryReadDatagram returns the next queued datagram without blocking, and
// false if none is queued.
func (f *Flow) TryReadDatagram() ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 || f.closed {
		return nil, false
	}
	p := f.queue[f.head]
	f.queue[f.head] = nil
	f.head = (f.head + 1) % len(f.queue)
	f.n--
	return p, true
}

// ReadDatagram blocks until a datagram arrives and returns it (the slice is
// the caller's). After Close, or once the flow has been idle for the
// listener's idle timeout, it returns io.EOF.
func (f *Flow) ReadDatagram() ([]byte, error) {
	return f.ReadDatagramContext(context.Background())
}

// ReadDatagramContext is ReadDatagram that also gives up when ctx is done,
// returning ctx.Err(). Giving up loses nothing: a datagram is either
// returned or left queued for the next read.
func (f *Flow) ReadDatagramContext(ctx context.Context) ([]byte, error) {
	for {
		if p, ok := f.TryReadDatagram(); ok {
			return p, nil
		}
		select {
		case <-f.done:
			return nil, io.EOF
		default:
		}
		select {
		case <-f.ready:
		case <-f.done:
			return nil, io.EOF
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// WriteDatagram sends p as exactly one datagram to the flow's peer. A p
// larger than MaxDatagramSize is refused.
func (f *Flow) WriteDatagram(p []byte) error {
	if len(p) > MaxDatagramSize {
		return &net.OpError{Op: "write", Net: "udp", Addr: f.RemoteAddr(),
			Err: fmt.Errorf("datagram of %d bytes exceeds the maximum of %d", len(p), MaxDatagramSize)}
	}
	select {
	case <-f.done:
		return &net.OpError{Op: "write", Net: "udp", Addr: f.RemoteAddr(), Err: net.ErrClosed}
	default:
	}
	f.touch()
	_, err := f.l.conn.WriteToUDPAddrPort(p, f.remote)
	return err
}

// Close ends the flow: pending and later reads return io.EOF, writes fail.
// A later datagram from the same source starts a new flow. Close is
// idempotent and always returns nil.
func (f *Flow) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	clear(f.queue)
	f.n = 0
	f.mu.Unlock()
	close(f.done)
	f.l.remove(f)
	return nil
}

// Done is closed when the flow ends, by Close, idle expiry or the
// listener's Close.
func (f *Flow) Done() <-chan struct{} { return f.done }

// RemoteAddr is the peer's address.
func (f *Flow) RemoteAddr() net.Addr { return net.UDPAddrFromAddrPort(f.remote) }

// LocalAddr is the listener's address.
func (f *Flow) LocalAddr() net.Addr { return f.l.conn.LocalAddr() }

// Dropped counts the datagrams from this peer dropped because the queue
// was full.
func (f *Flow) Dropped() uint64 { return f.dropped.Load() }

// rateLog lets a message through at most once a second.
type rateLog struct{ last atomic.Int64 }

func (r *rateLog) allow() bool {
	now := time.Now().UnixNano()
	last := r.last.Load()
	return now-last >= int64(time.Second) && r.last.CompareAndSwap(last, now)
}
