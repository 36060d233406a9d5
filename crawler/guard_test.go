package crawler

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"testing"
)

// fakeDNS answers lookups from a table; unknown names fail as NXDOMAIN.
func fakeDNS(table map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := table[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

// TestGuardCheck checks which resource URLs a site on a public host may
// have fetched: its own hosts and image hosts only, no credentials, no
// literal private addresses.
func TestGuardCheck(t *testing.T) {
	g := NewGuard([]string{"news.example", "portal.news.example:8080"}, []string{"cdn.example"})
	g.lookup = fakeDNS(map[string]string{"news.example": "203.0.113.7", "portal.news.example": "203.0.113.8"})
	tests := []struct {
		url  string
		want error // nil, or the error wrapped
	}{
		{"https://news.example/wp-content/a.jpg", nil},
		{"http://news.example:81/a.jpg", nil}, // a host without a port allows every port
		{"http://portal.news.example:8080/a.jpg", nil},
		{"http://portal.news.example:9090/a.jpg", ErrResourceHost},
		{"https://cdn.example/a.jpg", nil},
		{"https://evil.example/a.jpg", ErrResourceHost},
		{"http://127.0.0.1:6379/", ErrResourceHost},
		{"http://2130706433/a.jpg", ErrResourceHost},
		{"http://user:pw@cdn.example/a.jpg", ErrUserinfo},
		{"http://user@news.example/a.jpg", ErrUserinfo},
		{"ftp://cdn.example/a.jpg", errScheme},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		err = g.Check(t.Context(), u)
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("Check(%s) = %v, want nil", tt.url, err)
		case tt.want == errScheme && err == nil:
			t.Errorf("Check(%s) = nil, want a scheme error", tt.url)
		case tt.want != nil && tt.want != errScheme && !errors.Is(err, tt.want):
			t.Errorf("Check(%s) = %v, want %v", tt.url, err, tt.want)
		}
	}

	// An image host listed as a literal private address is still refused
	// for a site on the internet.
	g = NewGuard([]string{"news.example"}, []string{"10.0.0.5", "[::1]"})
	g.lookup = fakeDNS(map[string]string{"news.example": "203.0.113.7"})
	for _, raw := range []string{"http://10.0.0.5/a.jpg", "http://[::1]/a.jpg"} {
		u, _ := url.Parse(raw)
		if err := g.Check(t.Context(), u); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("Check(%s) = %v, want %v", raw, err, ErrPrivateAddress)
		}
	}
}

var errScheme = errors.New("scheme")

// TestGuardDial checks the address check after resolution: a name or a
// numeric host that resolves to loopback is refused for a site on the
// internet, allowed for a site that lives on loopback itself, and the
// site's own hosts always connect.
func TestGuardDial(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	dns := map[string]string{
		"news.example":     "127.0.0.1", // the operator's own site, wherever it resolves
		"localhost":        "127.0.0.1",
		"public.example":   "203.0.113.7",
		"rebind.example":   "127.0.0.1",
		"2130706433":       "127.0.0.1", // what getaddrinfo makes of it
		"metadata.cloud":   "169.254.169.254",
		"intranet.example": "10.1.2.3",
		"mapped.example":   "::ffff:127.0.0.1",
	}
	tests := []struct {
		site    string
		addr    string
		refused bool
	}{
		{"localhost", "localhost:" + port, false}, // the site's own host, resolved by the system
		{"public.example", "rebind.example:" + port, true},
		{"public.example", "2130706433:" + port, true},
		{"public.example", "127.0.0.1:" + port, true},
		{"public.example", "metadata.cloud:80", true},
		{"public.example", "intranet.example:80", true},
		{"public.example", "mapped.example:" + port, true},
		{"public.example", "[::ffff:127.0.0.1]:" + port, true},
		// A site on loopback (the demo, a test server) may have its
		// images there too.
		{"127.0.0.1:1", "rebind.example:" + port, false},
		{"localhost:1", "127.0.0.1:" + port, false},
	}
	for _, tt := range tests {
		g := NewGuard([]string{tt.site}, nil)
		g.lookup = fakeDNS(dns)
		c, err := g.DialContext(t.Context(), "tcp", tt.addr)
		if c != nil {
			c.Close()
		}
		switch {
		case tt.refused && !errors.Is(err, ErrPrivateAddress):
			t.Errorf("site %s: DialContext(%s) = %v, want %v", tt.site, tt.addr, err, ErrPrivateAddress)
		case !tt.refused && err != nil:
			t.Errorf("site %s: DialContext(%s) = %v, want a connection", tt.site, tt.addr, err)
		}
	}
}

// TestGuardCheckRedirect checks that a redirect from an allowed image
// host to anywhere else stops the client.
func TestGuardCheckRedirect(t *testing.T) {
	g := NewGuard([]string{"news.example"}, []string{"cdn.example"})
	g.lookup = fakeDNS(map[string]string{"news.example": "203.0.113.7"})
	via := []*http.Request{{URL: &url.URL{Scheme: "https", Host: "cdn.example", Path: "/a.jpg"}}}
	for raw, ok := range map[string]bool{
		"https://news.example/b.jpg":      true,
		"http://169.254.169.254/latest/":  false,
		"http://x:y@cdn.example/b.jpg":    false,
		"https://elsewhere.example/b.jpg": false,
	} {
		req, _ := http.NewRequest(http.MethodGet, raw, nil)
		err := g.CheckRedirect(req, via)
		if ok != (err == nil) {
			t.Errorf("CheckRedirect(%s) = %v, want allowed %v", raw, err, ok)
		}
	}
}
