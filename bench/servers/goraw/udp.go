package main

import (
	"fmt"
	"net"
)

// serveUDP echoes each datagram to its sender from one goroutine: a UDP
// socket has no connections to give goroutines to.
func serveUDP(addr string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("udp listening on %s\n", pc.LocalAddr())
	buf := make([]byte, 64<<10)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return err
		}
		pc.WriteTo(buf[:n], from)
	}
}
