package broadcast

import (
	"sync"
	"sync/atomic"

	"github.com/sockw/sockw/bindings/clone"
)

// Hub carries BroadcastChannel messages between the isolates of one worker:
// each isolate Installs with the worker's Hub, and a message posted on a
// channel named N in any of them reaches the channels named N in all of
// them. A Hub is safe for concurrent use.
//
// Messages are delivered in the order each sender posted them. Each
// receiving isolate has a bounded queue (see Limits): when an isolate falls
// that far behind, further messages for it are dropped, counted (Dropped)
// and logged at most once a second, so that one slow isolate never makes a
// fast sender's worker hold messages without bound.
type Hub struct {
	limits Limits

	mu sync.RWMutex
	// names maps a channel name to the isolates with open channels of that
	// name, each with how many it has open.
	names map[string]map[*subscriber]int

	dropped atomic.Uint64
}

// Limits bound what one receiving isolate may have queued and not yet
// delivered. A message is accepted into an empty queue whatever its size.
type Limits struct {
	Messages int // messages; zero means DefaultMaxMessages
	Bytes    int // their total clone.Serialized.Size; zero means DefaultMaxBytes
}

// Defaults of Limits.
const (
	DefaultMaxMessages = 4096
	DefaultMaxBytes    = 64 << 20
)

// NewHub returns a Hub with the default Limits.
func NewHub() *Hub { return NewHubWithLimits(Limits{}) }

// NewHubWithLimits returns a Hub whose isolates queue at most l.
func NewHubWithLimits(l Limits) *Hub {
	if l.Messages <= 0 {
		l.Messages = DefaultMaxMessages
	}
	if l.Bytes <= 0 {
		l.Bytes = DefaultMaxBytes
	}
	return &Hub{limits: l, names: make(map[string]map[*subscriber]int)}
}

// Dropped returns how many deliveries the Hub has dropped because the
// receiving isolate's queue was full (a message dropped for two isolates
// counts twice).
func (h *Hub) Dropped() uint64 { return h.dropped.Load() }

// message is one postMessage on its way. It is immutable: every receiving
// isolate deserializes data into objects of its own.
type message struct {
	name   string
	from   *subscriber // the sender's isolate
	fromID int         // the sending channel, never a destination
	maxID  int         // in the sender's isolate, only channels up to this id existed when it was posted
	data   clone.Serialized
}

// publish hands m to every isolate with a channel named m.name open.
func (h *Hub) publish(m *message) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s, open := range h.names[m.name] {
		if s == m.from && open == 1 {
			continue // the sender is its isolate's only channel of the name
		}
		s.enqueue(m)
	}
}

// join records that s opened a channel named name. It reports false if s
// has been removed (its isolate is ending).
func (h *Hub) join(s *subscriber, name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.isGone() {
		return false
	}
	subs := h.names[name]
	if subs == nil {
		subs = make(map[*subscriber]int)
		h.names[name] = subs
	}
	subs[s]++
	return true
}

// leave records that s closed a channel named name.
func (h *Hub) leave(s *subscriber, name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	subs := h.names[name]
	if subs == nil {
		return
	}
	if subs[s]--; subs[s] <= 0 {
		delete(subs, s)
	}
	if len(subs) == 0 {
		delete(h.names, name)
	}
}

// remove forgets s entirely, when its isolate ends.
func (h *Hub) remove(s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.setGone()
	for name, subs := range h.names {
		delete(subs, s)
		if len(subs) == 0 {
			delete(h.names, name)
		}
	}
}

// subscribers returns how many isolates have channels named name open.
func (h *Hub) subscribers(name string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.names[name])
}
