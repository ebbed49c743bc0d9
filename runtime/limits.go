package runtime

import (
	"fmt"
	"sync"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// Defaults for a worker's limits.
const (
	// DefaultCPULimit bounds one event-loop task of a worker.
	DefaultCPULimit = 50 * time.Millisecond
	// DefaultMaxCallStack is the deepest JavaScript call stack, near Node's
	// default; deeper recursion throws instead of exhausting Go's stack.
	DefaultMaxCallStack = 10000
	// RegexpMatchTimeout bounds one regular-expression match, because goja's
	// regexp engine does not heed Interrupt while it backtracks.
	RegexpMatchTimeout = 100 * time.Millisecond
	// DefaultMaxConnections bounds the open connections of one worker.
	DefaultMaxConnections = 10000
)

// setRegexpTimeout sets regexp2's process-wide default once: it is the only
// knob regexp2 offers, and every isolate wants the same bound.
var setRegexpTimeout = sync.OnceFunc(func() {
	regexp2.DefaultMatchTimeout = RegexpMatchTimeout
})

// LimitError says which limit a worker ran into.
type LimitError struct {
	// Limit names the limit: "cpu", "stack", "connections".
	Limit string
	// Value is the limit in force, for the log.
	Value any
	Err   error
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case "cpu":
		return fmt.Sprintf("CPU limit exceeded: one task ran longer than %v (--cpu-limit)", e.Value)
	case "stack":
		return fmt.Sprintf("call stack limit exceeded: deeper than %v frames", e.Value)
	default:
		return fmt.Sprintf("%s limit exceeded (%v)", e.Limit, e.Value)
	}
}

func (e *LimitError) Unwrap() error { return e.Err }
