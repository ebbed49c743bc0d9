package main

import (
	"math/bits"
	"time"
)

// The latency histogram is log-linear, in the manner of HdrHistogram: values
// below 2^subBits ns are counted exactly; above, each power of two is split
// into 2^subBits equal buckets. A bucket's width is at most 1/128 of its
// lower bound and quantiles report the bucket's midpoint, so every reported
// latency is within 0.4% of a recorded value. Memory is fixed (18 KiB per
// connection) however many operations are recorded, unlike a sorted sample.
const (
	subBits    = 7
	subBuckets = 1 << subBits
	// maxShift caps values at 2^(maxShift+subBits+1) ns, about 36 minutes;
	// longer latencies land in the last bucket.
	maxShift   = 33
	numBuckets = (maxShift + 2) * subBuckets
)

// histogram counts latencies. It is not safe for concurrent use: each
// connection owns one, and they are merged after the run.
type histogram struct {
	counts [numBuckets]uint32
	total  uint64
}

func bucketOf(ns uint64) int {
	if ns < subBuckets {
		return int(ns)
	}
	shift := bits.Len64(ns) - subBits - 1
	if shift > maxShift {
		return numBuckets - 1
	}
	return (shift+1)*subBuckets + int(ns>>shift) - subBuckets
}

// bucketMid is the midpoint of bucket i in nanoseconds.
func bucketMid(i int) float64 {
	if i < subBuckets {
		return float64(i)
	}
	shift := i/subBuckets - 1
	lo := uint64(i%subBuckets+subBuckets) << shift
	return float64(lo) + float64(uint64(1)<<shift)/2
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.total++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
}

// quantile returns the q-quantile (0 < q <= 1): the smallest recorded
// value with at least q of the records at or below it.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(q*float64(h.total) + 0.999999)
	rank = max(1, min(rank, h.total))
	var seen uint64
	for i, c := range h.counts {
		seen += uint64(c)
		if seen >= rank {
			return time.Duration(bucketMid(i))
		}
	}
	return time.Duration(bucketMid(numBuckets - 1))
}
