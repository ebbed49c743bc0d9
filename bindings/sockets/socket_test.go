package sockets

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/encoding"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/bindings/timers"
	"github.com/sockw/sockw/egress"
	"github.com/sockw/sockw/listener"
)

// env returns a test isolate with the globals sockets build on, and the
// sockets themselves under opts.
func env(t *testing.T, opts Options) (*bindingstest.Env, *Binding) {
	t.Helper()
	e := bindingstest.New(t)
	for _, install := range []func(*bindingstest.Env) error{
		func(e *bindingstest.Env) error { return events.Install(e.Host) },
		func(e *bindingstest.Env) error { return timers.Install(e.Host) },
	} {
		if err := install(e); err != nil {
			t.Fatal(err)
		}
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
	e.Runtime.Set("connect", b.Connect())
	return e, b
}

// run runs src with PORT set to port and fails the test on any error.
func run(t *testing.T, e *bindingstest.Env, src string, port int) {
	t.Helper()
	src = strings.ReplaceAll(src, "PORT", fmt.Sprint(port))
	if err := e.Run(t.Name()+".js", src, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// server accepts one connection and runs fn on it.
func server(t *testing.T, fn func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fn(c)
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestConnectEchoAndHalfClose(t *testing.T) {
	port := server(t, func(c net.Conn) {
		io.Copy(c, c) // echo until our FIN, then close
	})
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("127.0.0.1:PORT");
		const info = await s.opened;
		if (!info.remoteAddress.endsWith(":PORT")) throw new Error("remoteAddress " + info.remoteAddress);
		if (s.secureTransport !== "off" || s.upgraded !== false) throw new Error("flags");
		const w = s.writable.getWriter();
		await w.write(new TextEncoder().encode("ping"));
		await w.close();
		const r = s.readable.getReader();
		let got = "";
		for (;;) { const { value, done } = await r.read(); if (done) break; got += new TextDecoder().decode(value); }
		if (got !== "ping") throw new Error("got " + got);
		await s.closed;
	})()`, port)
}

func TestConnectFailuresRejectOpenedAndClosed(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	port := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	e, _ := env(t, Options{Policy: egress.Deployed()})
	run(t, e, `(async () => {
		const refused = connect({ hostname: "127.0.0.1", port: PORT });
		try { await refused.opened; throw new Error("opened resolved"); } catch (e) {
			if (!String(e.message).includes('egress policy') || !String(e.message).includes('rule "loopback"')) throw new Error("policy error: " + e.message);
		}
		try { await refused.closed; throw new Error("closed resolved"); } catch (e) {
			if (!(e instanceof Error)) throw e;
		}
		const nowhere = connect("no-such-host.invalid:80");
		try { await nowhere.opened; throw new Error("opened resolved"); } catch (e) {
			if (!String(e.message).includes("no-such-host.invalid")) throw new Error("dns error: " + e.message);
		}
	})()`, port)

	e, _ = env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("127.0.0.1:PORT");
		try { await s.opened; throw new Error("opened resolved"); } catch (e) {
			if (!e.message.includes("connection refused") || !e.message.includes("127.0.0.1:PORT")) throw new Error("refused: " + e.message);
		}
	})()`, port)
}

func TestConnectArgumentErrorsMatchWorkerd(t *testing.T) {
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `
		const cases = [
			[() => connect("http://x/y"), "Specified address could not be parsed."],
			[() => connect(":80"), "Specified address is missing hostname."],
			[() => connect("a b:80"), "Specified address could not be parsed."],
			[() => connect("x".repeat(300) + ":1"), "Specified address is empty string, contains unsupported characters or is too long."],
			[() => connect("example.com:1", { secureTransport: "maybe" }), "Unsupported value in secureTransport socket option: maybe"],
			[() => connect("127.0.0.1:1").startTls(), "The `+"`secureTransport`"+` socket option must be set to 'starttls' for startTls to be used."],
			[() => connect("127.0.0.1:1", { secureTransport: "on" }).startTls(), "Cannot startTls on a TLS socket."],
			[() => { const s = connect("127.0.0.1:1", { secureTransport: "starttls" }); s.startTls(); s.startTls(); }, "startTls has already been called on this socket."],
		];
		for (const [fn, text] of cases) {
			let err;
			try { fn(); } catch (e) { err = e; }
			if (!(err instanceof TypeError) || err.message !== text) throw new Error("want TypeError " + JSON.stringify(text) + ", got " + err);
		}
	`, 0)
}

func TestWriteAfterCloseAndNonBytesReject(t *testing.T) {
	port := server(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("127.0.0.1:PORT");
		await s.opened;
		const w = s.writable.getWriter();
		try { await w.write("a string"); throw new Error("a string was written"); } catch (e) {
			if (!(e instanceof TypeError)) throw e;
		}
		await s.close();
		await s.close(); // idempotent
		try { await w.write(new Uint8Array(1)); throw new Error("write after close"); } catch (e) {}
	})()`, port)
}

func TestPeerResetErrorsTheReadable(t *testing.T) {
	port := server(t, func(c net.Conn) {
		c.Write([]byte("x"))
		c.(*net.TCPConn).SetLinger(0)
		time.Sleep(50 * time.Millisecond)
	})
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("127.0.0.1:PORT");
		const r = s.readable.getReader();
		await r.read();
		let failed = false;
		try { for (;;) { const { done } = await r.read(); if (done) break; } } catch (e) { failed = e instanceof Error; }
		if (!failed) throw new Error("a reset ended the readable cleanly");
		try { await s.closed; throw new Error("closed resolved after a reset"); } catch (e) {}
	})()`, port)
}

// A peer that reset the connection leaves nobody to send FIN to: closing
// the writable then succeeds, as Node's socket.end() does, instead of
// failing the script with ENOTCONN for the peer's leaving.
func TestCloseAfterPeerResetSucceeds(t *testing.T) {
	port := server(t, func(c net.Conn) {
		// Reset only once the client is connected: a reset that beats the
		// dial's completion fails connect() instead.
		c.Read(make([]byte, 1))
		c.(*net.TCPConn).SetLinger(0)
	})
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("127.0.0.1:PORT");
		const w = s.writable.getWriter();
		await s.opened;
		await w.write(new Uint8Array(1));
		await new Promise((res) => setTimeout(res, 100)); // the reset arrives
		await w.close();
	})()`, port)
}

// The streams are made on first use; one first touched after the socket
// ended must start out as the end left it.
func TestStreamsFirstUsedAfterTheEnd(t *testing.T) {
	port := server(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("127.0.0.1:PORT");
		await s.opened;
		await s.close();
		const { done } = await s.readable.getReader().read();
		if (!done) throw new Error("the readable of a closed socket is not closed");
		try {
			await s.writable.getWriter().write(new Uint8Array(1));
			throw new Error("wrote to a closed socket");
		} catch (e) {}

		const r = connect("127.0.0.1:PORT");
		await r.opened;
		const why = new Error("mine");
		r.abort(why);
		for (const p of [r.readable.getReader().read(), r.writable.getWriter().write(new Uint8Array(1))]) {
			try { await p; throw new Error("a stream of an aborted socket did not fail"); } catch (e) {
				if (e !== why) throw e;
			}
		}
	})()`, port)
}

func TestClientStartTls(t *testing.T) {
	cert, _, _, err := listener.DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	port := server(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		line, _ := r.ReadString('\n')
		if line != "STARTTLS\n" {
			return
		}
		io.WriteString(c, "GO\n")
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
		io.Copy(tc, tc)
	})
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	e, _ := env(t, Options{Policy: egress.Development(), RootCAs: roots})
	run(t, e, `(async () => {
		const plain = connect("localhost:PORT", { secureTransport: "starttls" });
		const w = plain.writable.getWriter();
		await w.write(new TextEncoder().encode("STARTTLS\n"));
		const r = plain.readable.getReader();
		const { value } = await r.read();
		if (new TextDecoder().decode(value) !== "GO\n") throw new Error("no GO");
		w.releaseLock(); r.releaseLock();
		const secure = plain.startTls();
		await plain.closed;
		const info = await secure.opened;
		if (!secure.upgraded || secure.secureTransport !== "on") throw new Error("flags");
		const sw = secure.writable.getWriter();
		await sw.write(new TextEncoder().encode("over tls"));
		const sr = secure.readable.getReader();
		const got = await sr.read();
		if (new TextDecoder().decode(got.value) !== "over tls") throw new Error("tls echo");
		await secure.close();
	})()`, port)
}

func TestSeedSocketAndDirectSockets(t *testing.T) {
	for _, form := range []string{
		`const s = new Socket({ remote: { address: "127.0.0.1", port: PORT } });
		 await s.ready;
		 const r = s.readable;`,
		`const t = new TCPSocket("127.0.0.1", PORT, { noDelay: true });
		 const { readable: r, remoteAddress, remotePort } = await t.opened;
		 if (remoteAddress !== "127.0.0.1" || remotePort !== PORT) throw new Error("addresses");`,
		`const { readable: r, remotePort } = await navigator.openTCPSocket({ remoteAddress: "127.0.0.1", remotePort: PORT });`,
	} {
		port := server(t, func(c net.Conn) { io.WriteString(c, "hello") })
		e, _ := env(t, Options{Policy: egress.Development()})
		run(t, e, `(async () => {
			`+form+`
			const reader = r.getReader();
			let got = "";
			for (;;) { const { value, done } = await reader.read(); if (done) break; got += new TextDecoder().decode(value); }
			if (got !== "hello") throw new Error("got " + got);
		})()`, port)
	}
}

func TestTLSWithUntrustedCertificateRejects(t *testing.T) {
	cert, _, _, err := listener.DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	port := server(t, func(c net.Conn) {
		tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}}).Handshake()
	})
	e, _ := env(t, Options{Policy: egress.Development()})
	run(t, e, `(async () => {
		const s = connect("localhost:PORT", { secureTransport: "on" });
		try { await s.opened; throw new Error("opened resolved"); } catch (e) {
			if (!e.message.includes("certificate")) throw new Error("want a certificate error, got " + e.message);
		}
		try { await s.closed; throw new Error("closed resolved"); } catch (e) {}
	})()`, port)
}

func TestInboundTLSShowsALPNAndServerName(t *testing.T) {
	cert, _, _, err := listener.DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"smtp"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{InsecureSkipVerify: true, ServerName: "mail.example", NextProtos: []string{"smtp"}})
		if err == nil {
			defer c.Close()
			io.Copy(io.Discard, c)
		}
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.(*tls.Conn).Handshake(); err != nil {
		t.Fatal(err)
	}
	e, b := env(t, Options{})
	in, err := b.NewInbound(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Runtime.Set("sock", in.Object)
	run(t, e, `(async () => {
		const info = await sock.opened;
		if (info.alpn !== "smtp" || info.serverName !== "mail.example") throw new Error(JSON.stringify(info));
		if (sock.secureTransport !== "on") throw new Error(sock.secureTransport);
		let err;
		try { sock.startTls(); } catch (e) { err = e; }
		if (!(err instanceof TypeError) || err.message !== "Cannot startTls on a TLS socket.") throw new Error(String(err));
		await sock.close();
	})()`, 0)
}
