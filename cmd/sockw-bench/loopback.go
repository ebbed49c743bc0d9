package main

import (
	"fmt"
	"net"
	"net/netip"
)

// loopbackAddr checks that addr ("host:port") names this machine's loopback
// interface and returns it with the host as an IP literal. The load
// generator sends traffic nowhere else: the host must be an address in
// 127.0.0.0/8, ::1, or the name "localhost" (taken as 127.0.0.1 without
// asking a resolver, which could answer anything).
func loopbackAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("target %q: %w (want e.g. 127.0.0.1:8787)", addr, err)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Zone() != "" {
		return "", fmt.Errorf("target %q: host must be an IP literal in 127.0.0.0/8, ::1 or localhost", addr)
	}
	ip = ip.Unmap()
	if !ip.IsLoopback() {
		return "", fmt.Errorf("target %q is not a loopback address: sockw-bench only sends traffic to 127.0.0.0/8 or ::1", addr)
	}
	return net.JoinHostPort(ip.String(), port), nil
}
