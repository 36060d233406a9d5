package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Errors a Guard gives, wrapped with the URL or address they are about.
var (
	// ErrResourceHost: the URL is on none of the site's hosts nor its
	// image hosts.
	ErrResourceHost = errors.New("host is not one of the site's allowed or image hosts")
	// ErrUserinfo: the URL carries a user name or password.
	ErrUserinfo = errors.New("url carries credentials")
	// ErrPrivateAddress: the address is loopback, private, link-local,
	// multicast or unspecified, and the site does not live on such an
	// address itself.
	ErrPrivateAddress = errors.New("address is not public")
)

// Guard keeps a crawl from being turned against the machine it runs on or
// the network around it (server-side request forgery). A page decides
// which images and requisites (stylesheets, scripts, fonts) the crawl
// fetches for it, so it could name any URL: another port of 127.0.0.1, a
// cloud metadata address, a router's admin page. A Guard allows such
// resources only from the site's own hosts and the image hosts its config
// names (Check, CheckRedirect), and refuses, after DNS resolution and on
// every connection, addresses that are not public unless the site itself
// lives on one, as a demo or an intranet site does (DialContext).
//
// The crawler builds one from Options and uses it for every fetch; code
// that fetches a site's resources with a client of its own uses the same
// three methods. A Guard is safe for concurrent use.
type Guard struct {
	site      scope // the site's own hosts
	resources scope // the site's hosts and its image hosts
	dialer    net.Dialer
	// lookup resolves a host name; tests replace it to play DNS.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)

	mu          sync.Mutex
	privateKnow bool // privateOK is settled
	privateOK   bool // the site lives on a non-public address
}

// NewGuard returns a Guard for a site on siteHosts (its allowed hosts:
// "host" allows every port, "host:port" one) whose images and requisites
// may also come from imageHosts (CDNs).
func NewGuard(siteHosts, imageHosts []string) *Guard {
	return &Guard{
		site:      newScope(siteHosts),
		resources: newScope(append(append([]string{}, siteHosts...), imageHosts...)),
		dialer:    net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second},
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
	}
}

// Check returns nil when u may be fetched as an image or requisite of the
// site: an http or https URL without credentials, on one of the site's
// hosts or image hosts, and not at a literal address that is not public
// (unless the site lives on such addresses). It does no DNS lookup:
// DialContext checks names when they are resolved.
func (g *Guard) Check(ctx context.Context, u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("crawler: %s: scheme %q is not http or https", u.Redacted(), u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("crawler: %s: %w", u.Redacted(), ErrUserinfo)
	}
	if !g.resources.allows(u) {
		return fmt.Errorf("crawler: %s: %w", u.Redacted(), ErrResourceHost)
	}
	if g.site.allows(u) {
		return nil
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !public(ip) && !g.privateAllowed(ctx) {
		return fmt.Errorf("crawler: %s: %s: %w", u.Redacted(), ip, ErrPrivateAddress)
	}
	return nil
}

// CheckRedirect is an http.Client's CheckRedirect that applies Check to
// every hop, so that an allowed CDN cannot bounce a request elsewhere. It
// stops after 10 hops, as the default client does.
func (g *Guard) CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= DefaultMaxRedirects {
		return fmt.Errorf("crawler: %s: %w (%d)", req.URL.Redacted(), errTooManyHops, len(via))
	}
	return g.Check(req.Context(), req.URL)
}

// DialContext connects like net.Dialer.DialContext, but resolves the host
// itself and connects only to public addresses, unless the host is one of
// the site's own hosts or the site lives on a non-public address. Checking
// the resolved address, not the name, catches names that resolve to
// 127.0.0.1 and numeric forms such as http://2130706433/.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("crawler: dial %s: %w", addr, err)
	}
	if g.site.allows(&url.URL{Host: addr}) {
		// The site's own hosts connect wherever they resolve (the
		// operator named them), with the standard dialer's Happy Eyeballs.
		return g.dialer.DialContext(ctx, network, addr)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else if ips, err = g.lookup(ctx, host); err != nil {
		return nil, fmt.Errorf("crawler: dial %s: %w", addr, err)
	}
	var allowed []netip.Addr
	var refused netip.Addr
	for _, ip := range ips {
		if ip = ip.Unmap(); public(ip) || g.privateAllowed(ctx) {
			allowed = append(allowed, ip)
		} else {
			refused = ip
		}
	}
	if len(allowed) == 0 {
		if !refused.IsValid() {
			return nil, fmt.Errorf("crawler: dial %s: no address", addr)
		}
		return nil, fmt.Errorf("crawler: dial %s: %s: %w", addr, refused, ErrPrivateAddress)
	}
	// The addresses checked are the ones dialled (no second lookup that
	// DNS rebinding could answer otherwise), one after the other, each
	// with its share of the time left, as the standard dialer does, so
	// that one dead address does not use up the whole timeout.
	deadline := time.Now().Add(g.dialer.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	var errs []error
	for i, ip := range allowed {
		share := time.Until(deadline) / time.Duration(len(allowed)-i)
		actx, cancel := context.WithTimeout(ctx, max(share, 2*time.Second))
		c, err := g.dialer.DialContext(actx, network, net.JoinHostPort(ip.String(), port))
		cancel()
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("crawler: dial %s: %w", addr, errors.Join(errs...))
}

// privateAllowed reports whether the site itself lives on an address that
// is not public: then its images may too. It resolves the site's named
// hosts once, on first need.
func (g *Guard) privateAllowed(ctx context.Context) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.privateKnow {
		return g.privateOK
	}
	settled := true
	for h := range g.site.hosts {
		name, _ := splitPort(h)
		name = strings.Trim(name, "[]")
		if ip, err := netip.ParseAddr(name); err == nil {
			if !public(ip.Unmap()) {
				g.privateOK, g.privateKnow = true, true
				return true
			}
			continue
		}
		ips, err := g.lookup(ctx, name)
		if err != nil {
			settled = false // ask again next time: DNS may be back
			continue
		}
		for _, ip := range ips {
			if !public(ip.Unmap()) {
				g.privateOK, g.privateKnow = true, true
				return true
			}
		}
	}
	g.privateKnow = settled
	return false
}

// sharedSpace is the carrier-grade NAT range (RFC 6598), private in
// practice though netip does not call it so; thisNet is 0.0.0.0/8, which
// some systems route to the local host.
var (
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10")
	thisNet     = netip.MustParsePrefix("0.0.0.0/8")
)

// public reports whether ip is an address a crawl may reach for a site on
// the internet: not loopback, private, link-local, multicast or
// unspecified.
func public(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() && !ip.IsMulticast() &&
		!ip.IsUnspecified() && !sharedSpace.Contains(ip) && !thisNet.Contains(ip)
}
