package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quic-go/quic-go"
)

// A quic-go client opens several streams and sends datagrams to the QUIC
// echo worker; a client with the wrong ALPN fails cleanly and the server
// goes on.
func TestQUICEchoWorker(t *testing.T) {
	env, roots := devCertEnv(t)
	s := startServerEnv(t, env, "scripts/quic-echo.js", "--listen", "quic://127.0.0.1:0", "--alpn", "echo")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	_, err := quic.DialAddr(ctx, s.addr, &tls.Config{RootCAs: roots(), ServerName: "localhost", NextProtos: []string{"nope"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "no application protocol") {
		t.Fatalf("wrong ALPN: %v", err)
	}

	conn, err := quic.DialAddr(ctx, s.addr, &tls.Config{RootCAs: roots(), ServerName: "localhost", NextProtos: []string{"echo"}}, &quic.Config{EnableDatagrams: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseWithError(0, "done")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st, err := conn.OpenStreamSync(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			payload := bytes.Repeat([]byte(fmt.Sprintf("stream %d ", i)), 1000*(i+1))
			go func() {
				st.Write(payload)
				st.Close() // FIN on our side
			}()
			got, err := io.ReadAll(st)
			if err != nil || !bytes.Equal(got, payload) {
				t.Errorf("stream %d echoed %d of %d bytes: %v", i, len(got), len(payload), err)
			}
		}(i)
	}
	wg.Wait()
	for i := 0; i < 5; i++ {
		msg := []byte(fmt.Sprintf("datagram %d", i))
		if err := conn.SendDatagram(msg); err != nil {
			t.Fatal(err)
		}
		dctx, dcancel := context.WithTimeout(ctx, 5*time.Second)
		got, err := conn.ReceiveDatagram(dctx)
		dcancel()
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("datagram %d: %q, %v", i, got, err)
		}
	}
}
