// Command goraw is the Go baseline of bench/run: the plain way to write each
// server in Go, one goroutine per connection, standard library only (plus
// quic-go for the QUIC echo).
//
//	goraw echo PORT    TCP echo (io.Copy)
//	goraw greet PORT   write one line, close
//	goraw udp PORT     UDP echo
//	goraw quic PORT    QUIC stream echo (ALPN "echo", self-signed certificate)
//
// Every server listens on 127.0.0.1 only and runs until killed.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: goraw echo|greet|udp|quic PORT")
		os.Exit(2)
	}
	port, err := strconv.Atoi(os.Args[2])
	if err != nil || port <= 0 || port > 65535 {
		fmt.Fprintf(os.Stderr, "goraw: port %q: want 1..65535\n", os.Args[2])
		os.Exit(2)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	switch mode := os.Args[1]; mode {
	case "echo":
		err = serveTCP(addr, mode, echo)
	case "greet":
		err = serveTCP(addr, mode, greet)
	case "udp":
		err = serveUDP(addr)
	case "quic":
		err = serveQUIC(addr, "echo")
	default:
		err = fmt.Errorf("unknown mode %q: want echo, greet, udp or quic", mode)
	}
	fmt.Fprintf(os.Stderr, "goraw: %v\n", err)
	os.Exit(1)
}
