package quic

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
	quicgo "github.com/quic-go/quic-go"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/encoding"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/bindings/timers"
	"github.com/sockw/sockw/egress"
	"github.com/sockw/sockw/listener"
)

// env returns a test isolate with the globals QUIC builds on, and the
// binding itself under opts.
func env(t testing.TB, opts Options) (*bindingstest.Env, *Binding) {
	t.Helper()
	e := bindingstest.New(t)
	if err := events.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	if err := timers.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	st, err := streams.Install(e.Host)
	if err != nil {
		t.Fatal(err)
	}
	if err := encoding.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	b, err := Install(e.Host, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e, b
}

// certs holds the dev certificate and a client config trusting it.
type certs struct {
	server tls.Certificate
	roots  *x509.CertPool
	pem    string
}

func devCerts(t testing.TB) certs {
	t.Helper()
	cert, _, _, err := listener.DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	p := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	return certs{server: cert, roots: roots, pem: string(p)}
}

func (c certs) client(alpn ...string) *tls.Config {
	return &tls.Config{RootCAs: c.roots, ServerName: "localhost", NextProtos: alpn}
}

// jsServer listens for QUIC with ALPN "echo" and hands each connection to
// the script's globalThis.onConnection. The loop is kept alive until the
// script calls done().
func jsServer(t testing.TB, e *bindingstest.Env, b *Binding, c certs) *listener.QUIC {
	t.Helper()
	l, err := listener.ListenQUIC(context.Background(), listener.Address{Network: "quic", HostPort: "127.0.0.1:0"},
		&tls.Config{Certificates: []tls.Certificate{c.server}, NextProtos: []string{"echo"}}, listener.QUICConfig{}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	unref := e.Loop.Ref()
	e.Runtime.Set("done", func(goja.FunctionCall) goja.Value { unref(); return goja.Undefined() })
	go l.Serve(func(qc *quicgo.Conn) {
		e.Loop.Enqueue(func() error {
			obj, err := b.NewInbound(qc, nil)
			if err != nil {
				return err
			}
			fn, ok := goja.AssertFunction(e.Runtime.Get("onConnection"))
			if !ok {
				return errors.New("no onConnection")
			}
			_, err = fn(goja.Undefined(), obj)
			return err
		})
	})
	return l
}

// echoJS echoes every bidirectional stream, every unidirectional stream
// (on a stream of its own) and every datagram, records what it sees in
// globalThis.log, and calls done() once the connection is closed.
const echoJS = `
globalThis.log = { errors: [] };
globalThis.onConnection = async (conn) => {
	const info = await conn.opened;
	await conn.ready;
	log.protocol = conn.protocol;
	log.tag = Object.prototype.toString.call(conn);
	log.alpn = info.alpn;
	log.remote = info.remoteAddress;
	(async () => {
		const incoming = conn.incomingBidirectionalStreams.getReader();
		for (;;) {
			const { value, done } = await incoming.read();
			if (done) break;
			value.readable.pipeTo(value.writable).catch((e) => log.errors.push(String(e)));
		}
	})().catch((e) => log.errors.push('incoming: ' + e));
	(async () => {
		const incoming = conn.incomingUnidirectionalStreams.getReader();
		for (;;) {
			const { value, done } = await incoming.read();
			if (done) break;
			const out = await conn.createUnidirectionalStream();
			value.pipeTo(out).catch((e) => log.errors.push(String(e)));
		}
	})().catch((e) => log.errors.push('incoming uni: ' + e));
	(async () => {
		log.maxDatagramSize = conn.datagrams.maxDatagramSize;
		const r = conn.datagrams.readable.getReader();
		const w = conn.datagrams.writable.getWriter();
		for (;;) {
			const { value, done } = await r.read();
			if (done) break;
			await w.write(value);
		}
	})().catch(() => {});
	try {
		log.closed = await conn.closed;
	} catch (e) {
		log.closedError = String(e);
	}
	done();
};
`

// roundTrip sends msg on a new stream, closes its send side and reads the
// echo to the end.
func roundTrip(ctx context.Context, c *quicgo.Conn, msg []byte) error {
	s, err := c.OpenStreamSync(ctx)
	if err != nil {
		return err
	}
	if _, err := s.Write(msg); err != nil {
		return err
	}
	s.Close()
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(s)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("echo of %d bytes came back as %d bytes", len(msg), len(got))
	}
	return nil
}

func TestInboundEchoStreamsDatagramsAndReset(t *testing.T) {
	c := devCerts(t)
	e, b := env(t, Options{})
	l := jsServer(t, e, b, c)

	client := make(chan error, 1)
	go func() {
		client <- func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			qc, err := quicgo.DialAddr(ctx, l.Addr().String(), c.client("echo"), &quicgo.Config{EnableDatagrams: true})
			if err != nil {
				return err
			}
			defer qc.CloseWithError(7, "bye")

			// Several streams at once, one large enough to need backpressure.
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					msg := bytes.Repeat([]byte{byte('a' + i)}, 100+i*1000)
					if i == 0 {
						msg = bytes.Repeat([]byte("0123456789abcdef"), 1<<13) // 128 KiB: past the 64 KiB high-water mark
					}
					errs <- roundTrip(ctx, qc, msg)
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					return fmt.Errorf("stream echo: %w", err)
				}
			}

			// A stream reset mid-transfer errors that stream only.
			s, err := qc.OpenStreamSync(ctx)
			if err != nil {
				return err
			}
			s.Write([]byte("partial"))
			buf := make([]byte, 7)
			if _, err := io.ReadFull(s, buf); err != nil {
				return fmt.Errorf("echo before reset: %w", err)
			}
			s.CancelWrite(42)
			s.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadAll(s); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
				return errors.New("the echo of a reset stream ended cleanly; want it reset too")
			}
			if err := roundTrip(ctx, qc, []byte("after the reset")); err != nil {
				return fmt.Errorf("stream after a reset: %w", err)
			}

			// Unidirectional: the echo comes back on a stream the script opens.
			us, err := qc.OpenUniStreamSync(ctx)
			if err != nil {
				return err
			}
			us.Write([]byte("one way"))
			us.Close()
			rs, err := qc.AcceptUniStream(ctx)
			if err != nil {
				return err
			}
			rs.SetReadDeadline(time.Now().Add(5 * time.Second))
			if got, err := io.ReadAll(rs); err != nil || string(got) != "one way" {
				return fmt.Errorf("unidirectional echo: %q, %v", got, err)
			}

			// Datagrams are unreliable: retry each a few times.
			for i := range 5 {
				msg := fmt.Sprintf("datagram %d", i)
				var got []byte
				for try := 0; try < 5 && string(got) != msg; try++ {
					if err := qc.SendDatagram([]byte(msg)); err != nil {
						return err
					}
					dctx, dcancel := context.WithTimeout(ctx, 500*time.Millisecond)
					got, _ = qc.ReceiveDatagram(dctx)
					dcancel()
				}
				if string(got) != msg {
					return fmt.Errorf("datagram echo: %q, want %q", got, msg)
				}
			}
			return nil
		}()
	}()
	if err := e.Run(t.Name()+".js", echoJS, 20*time.Second); err != nil {
		select {
		case cerr := <-client:
			t.Fatalf("%v (the client ended with %v)", err, cerr)
		default:
			t.Fatalf("%v (the client is still running)", err)
		}
	}
	if err := <-client; err != nil {
		t.Fatal(err)
	}
	log := e.Runtime.Get("log").ToObject(e.Runtime)
	for name, want := range map[string]string{"protocol": "quic", "tag": "[object QuicConnection]", "alpn": "echo"} {
		if got := log.Get(name).String(); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if !strings.HasPrefix(log.Get("remote").String(), "127.0.0.1:") {
		t.Errorf("remoteAddress = %v", log.Get("remote"))
	}
	if n := log.Get("maxDatagramSize").ToInteger(); n < 1000 || n > 1500 {
		t.Errorf("maxDatagramSize = %d, want about 1200", n)
	}
	closed := log.Get("closed")
	if closed == nil || goja.IsUndefined(closed) {
		t.Fatalf("closed did not resolve: %v", log.Get("closedError"))
	}
	if cc := closed.ToObject(e.Runtime); cc.Get("closeCode").ToInteger() != 7 || cc.Get("reason").String() != "bye" {
		t.Errorf("closed = {closeCode: %v, reason: %v}, want 7, bye", cc.Get("closeCode"), cc.Get("reason"))
	}
	errs := log.Get("errors").Export().([]any)
	if len(errs) != 1 || !strings.Contains(fmt.Sprint(errs[0]), "error code 42") {
		t.Errorf("script saw errors %q, want exactly the reset with code 42", errs)
	}
}

func TestWrongALPNFailsCleanly(t *testing.T) {
	c := devCerts(t)
	e, b := env(t, Options{})
	l := jsServer(t, e, b, c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := quicgo.DialAddr(ctx, l.Addr().String(), c.client("h3"), nil)
	if err == nil || !strings.Contains(err.Error(), "no application protocol") {
		t.Fatalf("dial with the wrong ALPN: %v", err)
	}
	// The right ALPN still works afterwards.
	qc, err := quicgo.DialAddr(ctx, l.Addr().String(), c.client("echo"), nil)
	if err != nil {
		t.Fatal(err)
	}
	qc.CloseWithError(0, "")
}

// goEchoServer is a plain quic-go echo server: every stream is copied back.
func goEchoServer(t testing.TB, c certs, seen chan<- error) string {
	t.Helper()
	ln, err := quicgo.ListenAddr("127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{c.server}, NextProtos: []string{"echo"}},
		&quicgo.Config{EnableDatagrams: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			qc, err := ln.Accept(context.Background())
			if err != nil {
				return
			}
			go func() {
				for {
					s, err := qc.AcceptStream(context.Background())
					if err != nil {
						if seen != nil {
							seen <- context.Cause(qc.Context())
						}
						return
					}
					go func() {
						io.Copy(s, s)
						s.Close()
					}()
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestConnectQuic(t *testing.T) {
	c := devCerts(t)
	seen := make(chan error, 1)
	addr := goEchoServer(t, c, seen)
	e, _ := env(t, Options{Policy: egress.Development()})
	e.Runtime.Set("CA", c.pem)
	e.Runtime.Set("PORT", strings.Split(addr, ":")[1])
	src := `
(async () => {
	const conn = await connectQuic({ hostname: '127.0.0.1', port: Number(PORT), alpn: ['echo'], serverName: 'localhost', caCerts: [CA] });
	const info = await conn.opened;
	if (info.alpn !== 'echo' || conn.protocol !== 'quic') throw new Error('opened: ' + JSON.stringify(info));
	const results = await Promise.all([1, 2, 3].map(async (i) => {
		const { readable, writable } = await conn.createBidirectionalStream();
		const w = writable.getWriter();
		await w.write(new TextEncoder().encode('hello quic ' + i));
		await w.close();
		let text = '';
		const r = readable.getReader();
		for (;;) {
			const { value, done } = await r.read();
			if (done) return text;
			text += new TextDecoder().decode(value);
		}
	}));
	if (results.join() !== 'hello quic 1,hello quic 2,hello quic 3') throw new Error('echo: ' + results);
	const stats = await conn.getStats();
	if (!(stats.bytesSent > 0 && stats.packetsReceived > 0 && stats.smoothedRtt >= 0)) throw new Error('stats: ' + JSON.stringify(stats));
	conn.close({ closeCode: 5, reason: 'done' });
	const closed = await conn.closed;
	if (closed.closeCode !== 5 || closed.reason !== 'done') throw new Error('closed: ' + JSON.stringify(closed));
	conn.close(); // idempotent
	try {
		await conn.createBidirectionalStream();
		throw new Error('a stream opened on a closed connection');
	} catch (e) {
		if (!/closed/.test(e.message)) throw e;
	}
})();
`
	if err := e.Run(t.Name()+".js", src, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-seen:
		var app *quicgo.ApplicationError
		if !errors.As(err, &app) || app.ErrorCode != 5 || app.ErrorMessage != "done" {
			t.Fatalf("server saw the connection end with %v, want application error 5 \"done\"", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not see the close")
	}
}

func TestConnectQuicRefusals(t *testing.T) {
	e, _ := env(t, Options{Policy: egress.Deployed()})
	src := `
const mustThrow = (f, what) => {
	try { f(); } catch (e) { if (e instanceof TypeError) return; throw e; }
	throw new Error('no TypeError for ' + what);
};
mustThrow(() => connectQuic(), 'no argument');
mustThrow(() => connectQuic({ hostname: 'example.com', port: 443 }), 'no alpn');
mustThrow(() => connectQuic({ hostname: 'example.com', port: 70000, alpn: ['h3'] }), 'a bad port');
mustThrow(() => connectQuic({ hostname: 'example.com', port: 443, alpn: ['h3'], caCerts: ['junk'] }), 'a bad CA');
mustThrow(() => QuicConnection(), 'calling the interface');
connectQuic({ hostname: '127.0.0.1', port: 4433, alpn: ['h3'] }).then(
	() => { throw new Error('loopback reached under the deployed policy'); },
	(e) => { if (!/loopback/.test(e.message)) throw e; });
`
	if err := e.Run(t.Name()+".js", src, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}
