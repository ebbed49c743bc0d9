package broadcast

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/clone"
	"github.com/sockw/sockw/runtime/eventloop"
)

// subscriber is one isolate's end of a Hub: its channels, and its queue of
// messages not yet delivered.
type subscriber struct {
	hub    *Hub
	h      *bindings.Host
	loop   *eventloop.Loop
	logger *zap.Logger

	mu          sync.Mutex // guards what other isolates' goroutines touch
	gone        bool       // the isolate ended: take no more messages
	queued      int        // messages enqueued on the loop, not yet run
	queuedBytes int
	unlogged    int // drops not yet logged
	lastLog     time.Time

	// Loop goroutine only.
	channels     map[string][]*channel // by name, in creation order; replaced, never mutated
	lastID       int
	open         int
	unref        func()
	watching     bool // the context's end removes s from the hub
	deliver      goja.Callable
	deliverError goja.Callable
}

// channel is one BroadcastChannel object. Loop goroutine only.
type channel struct {
	id     int
	obj    *goja.Object
	closed bool
}

func (s *subscriber) isGone() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gone
}

func (s *subscriber) setGone() {
	s.mu.Lock()
	s.gone = true
	s.mu.Unlock()
}

// enqueue queues m for delivery on the isolate's loop, or drops it if the
// isolate is too far behind. Any goroutine; called with the hub's read
// lock held, so it must not take the hub's lock.
func (s *subscriber) enqueue(m *message) {
	size := m.data.Size()
	s.mu.Lock()
	if s.gone {
		s.mu.Unlock()
		return
	}
	lim := s.hub.limits
	if s.queued > 0 && (s.queued >= lim.Messages || s.queuedBytes+size > lim.Bytes) {
		s.hub.dropped.Add(1)
		s.unlogged++
		var report, queued int
		if now := time.Now(); now.Sub(s.lastLog) >= time.Second {
			report, queued = s.unlogged, s.queued
			s.unlogged, s.lastLog = 0, now
		}
		s.mu.Unlock()
		if report > 0 && s.logger != nil {
			s.logger.Warn("broadcast: an isolate is too slow to take its messages; dropping them",
				zap.Int("dropped", report), zap.Int("queued", queued), zap.String("channel", m.name))
		}
		return
	}
	s.queued++
	s.queuedBytes += size
	s.mu.Unlock()
	// A task of its own per message, owned by no connection (Enqueue
	// starts tasks with a nil owner), as HTML queues one per destination.
	err := s.loop.Enqueue(func() error {
		s.dequeued(size)
		return s.run(m)
	})
	if err != nil {
		// The loop has stopped; its context's end removes s from the hub.
		s.dequeued(size)
		s.setGone()
	}
}

func (s *subscriber) dequeued(size int) {
	s.mu.Lock()
	s.queued--
	s.queuedBytes -= size
	s.mu.Unlock()
}

// run delivers m to the isolate's channels named m.name: each deserializes
// its own copy and gets a message event (or messageerror if that failed),
// in the order the channels were created. In the sender's isolate the
// sender and channels created after the message was posted are skipped.
// Each dispatch returns to Go, so microtasks run between destinations.
func (s *subscriber) run(m *message) error {
	var first error
	for _, c := range s.channels[m.name] {
		if c.closed || m.from == s && (c.id == m.fromID || c.id > m.maxID) {
			continue
		}
		v, err := clone.Deserialize(s.h.Runtime, m.data)
		if err != nil {
			if uncatchable(err) {
				return err
			}
			_, err = s.deliverError(goja.Undefined(), c.obj)
		} else {
			_, err = s.deliver(goja.Undefined(), c.obj, v)
		}
		if err != nil {
			if uncatchable(err) {
				return err
			}
			if first == nil {
				first = err
			}
		}
	}
	return first
}

// openChannel registers a new channel and returns its id. Loop goroutine.
func (s *subscriber) openChannel(obj *goja.Object, name string) int {
	if !s.watching {
		s.watching = true
		if ctx := s.h.Context; ctx != nil {
			context.AfterFunc(ctx, func() { s.hub.remove(s) })
		}
	}
	s.lastID++
	c := &channel{id: s.lastID, obj: obj}
	s.hub.join(s, name) // false if the isolate is ending: the channel just hears nothing
	if s.channels == nil {
		s.channels = make(map[string][]*channel)
	}
	list := s.channels[name]
	next := make([]*channel, len(list), len(list)+1)
	copy(next, list)
	s.channels[name] = append(next, c)
	if s.open++; s.open == 1 {
		// As in browsers, Deno and Node, an open channel keeps the
		// isolate's loop alive (sockw exec waits for messages).
		s.unref = s.loop.Ref()
	}
	return c.id
}

// closeChannel closes channel id. Loop goroutine.
func (s *subscriber) closeChannel(id int, name string) {
	list := s.channels[name]
	next := make([]*channel, 0, len(list))
	found := false
	for _, c := range list {
		if c.id == id {
			c.closed = true
			found = true
			continue
		}
		next = append(next, c)
	}
	if !found {
		return
	}
	if len(next) == 0 {
		delete(s.channels, name)
	} else {
		s.channels[name] = next
	}
	s.hub.leave(s, name)
	if s.open--; s.open == 0 && s.unref != nil {
		s.unref()
		s.unref = nil
	}
}

// post serializes v and publishes it from channel id. It throws what
// serializing throws (a DataCloneError). Loop goroutine.
func (s *subscriber) post(id int, name string, v goja.Value) {
	data, err := clone.Serialize(s.h.Runtime, v)
	if err != nil {
		var ex *goja.Exception
		switch {
		case errors.As(err, &ex):
			panic(ex)
		case errors.Is(err, clone.ErrNotInstalled):
			panic(s.h.Runtime.NewTypeError("BroadcastChannel needs structured serialization (package clone)"))
		case uncatchable(err):
			panic(err) // an interrupt: goja unwinds with it
		}
		panic(s.h.Runtime.NewTypeError("BroadcastChannel: " + err.Error()))
	}
	s.hub.publish(&message{name: name, from: s, fromID: id, maxID: s.lastID, data: data})
}

func uncatchable(err error) bool {
	var interrupted *goja.InterruptedError
	var overflow *goja.StackOverflowError
	return errors.As(err, &interrupted) || errors.As(err, &overflow)
}
