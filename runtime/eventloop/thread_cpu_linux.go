package eventloop

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time the thread tid has used so far. Any
// thread may ask about any other: Linux encodes a thread's CPU clock in the
// clock id (MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)).
func threadCPU(tid int) (time.Duration, bool) {
	clock := int32(^uint32(tid)<<3 | 6)
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}

func gettid() int { return unix.Gettid() }
