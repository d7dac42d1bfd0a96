package api

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies decides which peers' X-Forwarded-* headers are believed.
type proxies []netip.Prefix

func (p proxies) trusted(a netip.Addr) bool {
	for _, pre := range p {
		if pre.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// peerAddr is the address of the TCP peer.
func peerAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// clientIP is the peer address, unless the peer is a trusted proxy: then it is the right-most
// X-Forwarded-For address that is not itself a trusted proxy (left-most entries are whatever
// the client chose to send and cannot be believed).
func (p proxies) clientIP(r *http.Request) string {
	peer, ok := peerAddr(r)
	if !ok {
		return r.RemoteAddr
	}
	if !p.trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !p.trusted(a) {
			return a.Unmap().String()
		}
	}
	return peer.String()
}

// scheme is "https" when the connection is TLS, or when a trusted proxy says it terminated TLS.
func (p proxies) scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if peer, ok := peerAddr(r); ok && p.trusted(peer) &&
		strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") {
		return "https"
	}
	return "http"
}
