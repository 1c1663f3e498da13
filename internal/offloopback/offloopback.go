// Package offloopback listens on an address of this machine that is not
// loopback, for checks that the provider refuses plain HTTP off loopback:
// should a refusal ever fail, the traffic still reaches only this machine,
// never another host.
package offloopback

import (
	"context"
	"net"
	"sync/atomic"
)

// Listen listens on the first non-loopback IPv4 address of this machine and
// counts the connections it accepts (closing each at once). It returns the
// address (host:port), the count and a function that stops listening; the
// address is "" when the machine has no such address to listen on, and the
// caller should then skip its check rather than aim it at another host.
func Listen(ctx context.Context) (string, *atomic.Int32, func()) {
	var conns atomic.Int32
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil {
			continue
		}
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", net.JoinHostPort(ipn.IP.String(), "0"))
		if err != nil {
			continue
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				conns.Add(1)
				_ = c.Close()
			}
		}()
		return ln.Addr().String(), &conns, func() { _ = ln.Close() }
	}
	return "", &conns, func() {}
}
