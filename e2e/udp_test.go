package e2e

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

func TestUDPEchoWorker(t *testing.T) {
	s := startServerEnv(t, nil, "scripts/udp-echo.js", "--listen", "udp://127.0.0.1:0")
	// Several clients are several flows; each gets its own datagrams back.
	for c := 0; c < 3; c++ {
		conn, err := net.Dial("udp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for i := 0; i < 5; i++ {
			msg := fmt.Sprintf("client %d datagram %d", c, i)
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := conn.Write([]byte(msg)); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 1500)
			n, err := conn.Read(buf)
			if err != nil || string(buf[:n]) != msg {
				t.Fatalf("got %q, %v; want %q", buf[:n], err, msg)
			}
		}
	}
}

// The 2021 announcement's UDP example, verbatim: one "hello world" datagram.
func TestSeedSocketWorkersUDPExample(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	script := seed(t, "socket-workers-udp.js", "'123.123.123.123'", "1234", pc.LocalAddr().String())
	stdout, stderr, code := sockw(t, "exec", script)
	if code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 100)
	n, _, err := pc.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hello world" {
		t.Fatalf("received %q, %v", buf[:n], err)
	}
}

// Go's resolver asks the DNS forwarder worker, which asks a local upstream
// over outbound UDP: real DNS messages both ways.
func TestDNSForwarderWithGoResolver(t *testing.T) {
	upstream := fakeDNS(t, map[string][4]byte{"sockw.test.": {10, 1, 2, 3}, "edge.sockw.test.": {192, 0, 2, 7}})
	s := startServerEnv(t, nil, "scripts/dns-forwarder.js", "--listen", "udp://127.0.0.1:0", "--var", "UPSTREAM="+upstream)
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return net.Dial("udp", s.addr)
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for name, want := range map[string]string{"sockw.test": "10.1.2.3", "edge.sockw.test": "192.0.2.7"} {
		addrs, err := r.LookupHost(ctx, name)
		if err != nil || len(addrs) != 1 || addrs[0] != want {
			t.Fatalf("%s: %v, %v; want %s", name, addrs, err, want)
		}
	}
	if _, err := r.LookupHost(ctx, "missing.sockw.test"); err == nil {
		t.Fatal("a name the upstream does not know resolved")
	}
}

// fakeDNS answers A queries for names from a UDP socket on 127.0.0.1 and
// NXDOMAIN for the rest.
func fakeDNS(t *testing.T, names map[string][4]byte) string {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var q dnsmessage.Message
			if q.Unpack(buf[:n]) != nil || len(q.Questions) != 1 {
				continue
			}
			question := q.Questions[0]
			resp := dnsmessage.Message{
				Header:    dnsmessage.Header{ID: q.Header.ID, Response: true, Authoritative: true, RecursionDesired: q.Header.RecursionDesired},
				Questions: q.Questions,
			}
			ip, ok := names[question.Name.String()]
			switch {
			case !ok:
				resp.Header.RCode = dnsmessage.RCodeNameError
			case question.Type == dnsmessage.TypeA:
				resp.Answers = []dnsmessage.Resource{{
					Header: dnsmessage.ResourceHeader{Name: question.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 60},
					Body:   &dnsmessage.AResource{A: ip},
				}}
			}
			out, err := resp.Pack()
			if err == nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port))
}
