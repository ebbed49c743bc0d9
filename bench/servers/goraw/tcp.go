package main

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// serveTCP accepts connections on addr and runs handle on each in its own
// goroutine. It returns only on a listener failure.
func serveTCP(addr, mode string, handle func(net.Conn)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("%s listening on %s\n", mode, ln.Addr())
	for {
		c, err := ln.Accept()
		if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
			// Out of descriptors: back off and retry, as net/http does,
			// rather than stop serving the connections already open.
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if err != nil {
			return err
		}
		go handle(c)
	}
}

// echo sends back every byte it reads. It is the loop io.Copy runs, written
// out because io.Copy(c, c) on a *net.TCPConn takes the splice path, which
// holds a pipe (two descriptors and the pipe's buffer) for every connection
// even while it is idle: 10,000 idle connections would need 30,000 files.
func echo(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 32<<10) // io.Copy's size
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

var greeting = []byte("hello\n")

// greet writes one line and closes.
func greet(c net.Conn) {
	c.Write(greeting)
	c.Close()
}
