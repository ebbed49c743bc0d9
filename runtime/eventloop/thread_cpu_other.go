//go:build !linux

package eventloop

import "time"

// threadCPU is unavailable here: the budget falls back to wall time.
func threadCPU(int) (time.Duration, bool) { return 0, false }

func gettid() int { return 0 }
