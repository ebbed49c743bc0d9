package quic

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	quicgo "github.com/quic-go/quic-go"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/streams"
)

// benchStreams is how many streams carry round trips at once.
const benchStreams = 16

// BenchmarkStreamEcho measures 64-byte round trips on 16 concurrent
// streams of one connection, against the JavaScript echo and against a
// plain quic-go echo server in the same run.
func BenchmarkStreamEcho(b *testing.B) {
	c := devCerts(b)
	b.Run("js", func(b *testing.B) {
		e, bind := env(b, Options{})
		l := jsServer(b, e, bind, c)
		ran := make(chan error, 1)
		go func() { ran <- e.Run("echo.js", echoJS, time.Hour) }()
		benchEcho(b, l.Addr().String(), c)
		if err := <-ran; err != nil {
			b.Fatal(err)
		}
	})
	b.Run("go", func(b *testing.B) {
		benchEcho(b, goEchoServer(b, c, nil), c)
	})
}

func benchEcho(b *testing.B, addr string, c certs) {
	ctx := context.Background()
	qc, err := quicgo.DialAddr(ctx, addr, c.client("echo"), &quicgo.Config{EnableDatagrams: true})
	if err != nil {
		b.Fatal(err)
	}
	defer qc.CloseWithError(0, "")
	ss := make([]*quicgo.Stream, benchStreams)
	for i := range ss {
		if ss[i], err = qc.OpenStreamSync(ctx); err != nil {
			b.Fatal(err)
		}
	}
	msg := make([]byte, 64)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i, s := range ss {
		n := b.N / benchStreams
		if i < b.N%benchStreams {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, len(msg))
			for range n {
				if _, err := s.Write(msg); err != nil {
					b.Error(err)
					return
				}
				if _, err := io.ReadFull(s, buf); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "roundtrips/s")
}

// BenchmarkInstall is the per-isolate cost of Install (streams installed
// beforehand, as the isolate does).
func BenchmarkInstall(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		e := bindingstest.New(b)
		st, err := streams.Install(e.Host)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := Install(e.Host, st, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
