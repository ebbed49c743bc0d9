package gcpace

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestPercentFor(t *testing.T) {
	for _, c := range []struct {
		scanned, headroom uint64
		base, want        int
	}{
		{scanned: 8 << 20, headroom: 64 << 20, base: 100, want: 800},
		{scanned: 2 << 20, headroom: 64 << 20, base: 100, want: 1600},
		{scanned: 64 << 20, headroom: 64 << 20, base: 100, want: 100},
		{scanned: 1 << 30, headroom: 64 << 20, base: 100, want: 100},
		{scanned: 1 << 30, headroom: 64 << 20, base: 50, want: 50},
		{scanned: 1 << 20, headroom: 64 << 20, base: 100, want: 1600},
		{scanned: 0, headroom: 64 << 20, base: 100, want: 100},
	} {
		if got := percentFor(c.scanned, c.headroom, c.base); got != c.want {
			t.Errorf("percentFor(%d, %d, %d) = %d, want %d", c.scanned, c.headroom, c.base, got, c.want)
		}
	}
}

// A small live heap collects far less often with a headroom: count the
// collections while allocating the same garbage with and without it.
func TestHeadroomSpacesCollections(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	churn := func() uint32 {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var keep []byte
		for i := 0; i < 20_000; i++ {
			keep = make([]byte, 4<<10) // 80 MiB of garbage in all
		}
		_ = keep
		runtime.ReadMemStats(&after)
		return after.NumGC - before.NumGC
	}
	plain := churn()
	stop := Start(64 << 20)
	paced := churn()
	stop()
	t.Logf("%d collections without a headroom, %d with", plain, paced)
	if paced*4 > plain {
		t.Fatalf("%d collections with a 64 MiB headroom, %d without: want at most a quarter", paced, plain)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC percentage after the context ended = %d, want 100 restored", got)
	}
}
