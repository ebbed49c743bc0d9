package listener

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"
)

func TestParseAddress(t *testing.T) {
	good := map[string]string{
		"tcp://127.0.0.1:8787": "127.0.0.1:8787",
		"tcp://[::1]:0":        "[::1]:0",
		"tcp://localhost:25":   "localhost:25",
		"tcp://:9000":          ":9000",
	}
	for in, want := range good {
		a, err := ParseAddress(in)
		if err != nil || a.HostPort != want || a.Network != "tcp" {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %s", in, a, err, want)
		}
	}
	bad := map[string]string{
		"127.0.0.1:8787":        "missing scheme",
		"smtp://127.0.0.1:25":   "unknown scheme",
		"tcp://127.0.0.1":       "port",
		"tcp://127.0.0.1:99999": "out of range",
		"tcp://1.2.3.4:5/path":  "only scheme",
	}
	for in, why := range bad {
		_, err := ParseAddress(in)
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), in) {
			t.Errorf("ParseAddress(%q) error = %v; want it to name the address and say %q", in, err, why)
		}
	}
}

func TestTCPServesAndCloses(t *testing.T) {
	addr, _ := ParseAddress("tcp://127.0.0.1:0")
	l, err := ListenTCP(context.Background(), addr, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- l.Serve(func(c *net.TCPConn) {
			go func() {
				defer c.Close()
				buf := make([]byte, 5)
				n, _ := c.Read(buf)
				got <- string(buf[:n])
			}()
		})
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("hello"))
	if s := <-got; s != "hello" {
		t.Fatalf("handler read %q", s)
	}
	c.Close()
	l.Close()
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve after Close = %v", err)
	}
}

func TestListenTakenAddressNamesIt(t *testing.T) {
	addr, _ := ParseAddress("tcp://127.0.0.1:0")
	l, err := ListenTCP(context.Background(), addr, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken, _ := ParseAddress("tcp://" + l.Addr().String())
	_, err = ListenTCP(context.Background(), taken, zaptest.NewLogger(t))
	if err == nil || !strings.Contains(err.Error(), taken.String()) || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("second listen error = %v", err)
	}
}
