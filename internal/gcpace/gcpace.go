// Package gcpace gives the garbage collector a floor of heap headroom.
//
// Go's pacer lets the heap grow by GOGC percent of the live heap before the
// next collection. A sockw process usually has a small live heap (a few
// isolates and their connections) and allocates fast (every JavaScript
// object, promise and closure is a Go allocation), so with GOGC=100 it
// collects every few megabytes: about a fifth of its CPU time went to the
// collector in the per-chunk echo benchmark. V8, which Node and workerd
// run on, starts with a young generation of several megabytes and grows its
// heap long before it collects the old one. gcpace raises the collector's
// percentage while the live heap is small, so that a collection is due only
// after at least the headroom was allocated; once the live heap is large
// enough, GOGC's own percentage applies unchanged. A memory limit
// (GOMEMLIMIT) still wins over both.
package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// DefaultHeadroom is the headroom `sockw run` keeps unless told otherwise.
const DefaultHeadroom = 64 << 20

// Start keeps at least headroom bytes of allocation between collections
// until stop is called, which restores GOGC's percentage. It adjusts the
// percentage after every collection, from the live heap that collection
// found. It does nothing if headroom is 0 or the collector is off (GOGC=off).
// Only one Start should be active in a process at a time: the percentage is
// process-wide.
func Start(headroom uint64) (stop func()) {
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base)
	if headroom == 0 || base < 0 {
		return func() {}
	}
	p := &pacer{base: base, headroom: headroom, set: base}
	p.sample = []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
	}
	// The first collection comes at Go's own minimum heap (4 MB); a
	// percentage set before it would scale that minimum instead.
	p.arm()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.stopped {
			p.stopped = true
			debug.SetGCPercent(base)
		}
	}
}

type pacer struct {
	base     int
	headroom uint64
	sample   []metrics.Sample

	mu      sync.Mutex
	stopped bool
	set     int // the percentage last set
}

// arm makes the next collection call adjust: a cleanup runs once the
// sentinel it is attached to is found unreachable, which happens at the
// first collection after it was allocated.
func (p *pacer) arm() {
	// Larger than the tiny allocator's objects, which share a block with
	// others that could keep it reachable.
	sentinel := new([32]byte)
	runtime.AddCleanup(sentinel, func(p *pacer) {
		if p.adjust() {
			p.arm()
		}
	}, p)
}

// adjust sets the percentage that gives at least the headroom over the live
// heap the last collection found. It reports false once stopped.
func (p *pacer) adjust() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	metrics.Read(p.sample)
	// The pacer grows the heap by the percentage of the live heap plus the
	// other roots it scans (goroutine stacks and globals, a few megabytes
	// of them in a sockw process): all three count.
	var scanned uint64
	for _, m := range p.sample {
		if m.Value.Kind() != metrics.KindUint64 {
			return true
		}
		scanned += m.Value.Uint64()
	}
	want := percentFor(scanned, p.headroom, p.base)
	if want != p.set {
		p.set = want
		debug.SetGCPercent(want)
	}
	return true
}

// minHeap is the Go runtime's minimum heap goal at GOGC=100 (4 MB), which
// it scales by the percentage like the rest of the goal.
const minHeap = 4 << 20

// percentFor is the GOGC percentage at which the heap grows by about
// headroom bytes before the next collection when the collector scans
// scanned bytes (live heap, stacks and globals), never below base. The
// runtime's goal is the larger of scanned and its minimum heap, times the
// percentage: a small heap scales from the minimum.
func percentFor(scanned, headroom uint64, base int) int {
	if scanned == 0 {
		return base // no collection yet: nothing known to scale from
	}
	pct := headroom * 100 / max(scanned, minHeap)
	if pct <= uint64(base) {
		return base
	}
	return int(pct)
}
