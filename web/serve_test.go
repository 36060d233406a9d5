package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAllowHosts checks the Host rule against DNS rebinding: loopback
// names, the listen address and the allowed names get through, any other
// name gets 421, whatever the port.
func TestAllowHosts(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	bound := AllowHosts("127.0.0.1:8080", "warta.lan", "192.0.2.7:80")(ok)
	anyAddr := AllowHosts("0.0.0.0:8080")(ok)
	for _, tt := range []struct {
		h    http.Handler
		host string
		pass bool
	}{
		{bound, "localhost", true},
		{bound, "localhost:8080", true},
		{bound, "LocalHost.:9", true},
		{bound, "127.0.0.1:8080", true},
		{bound, "127.0.0.2", true},
		{bound, "[::1]:8080", true},
		{bound, "[::1]", true},
		{bound, "warta.lan:8080", true},
		{bound, "WARTA.LAN", true},
		{bound, "192.0.2.7", true},
		{bound, "evil.example", false},
		{bound, "evil.example:8080", false},
		{bound, "localhost.evil.example", false},
		{bound, "127.0.0.1.nip.io:8080", false},
		{bound, "warta.lan.evil.example", false},
		{bound, "192.0.2.8", false},
		{bound, "", false},
		{anyAddr, "192.0.2.8:8080", true},
		{anyAddr, "[2001:db8::1]:8080", true},
		{anyAddr, "evil.example:8080", false},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Host = tt.host
		tt.h.ServeHTTP(rec, req)
		want := http.StatusMisdirectedRequest
		if tt.pass {
			want = http.StatusTeapot
		}
		if rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", tt.host, rec.Code, want)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("Host %q: X-Content-Type-Options %q, want nosniff", tt.host, got)
		}
		if !tt.pass && !strings.Contains(rec.Body.String(), "--allow-host") {
			t.Errorf("Host %q: body %q, want it to name --allow-host", tt.host, rec.Body)
		}
	}
}

// TestEveryResponseNosniff checks that no response of the server, metrics
// and errors included, may be sniffed into another type.
func TestEveryResponseNosniff(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/", "/search?q=banjir", "/status", "/metrics", "/healthz", "/api/search?q=banjir",
		"/api/sites", "/api/nothing", "/static/style.css", "/articles/" + idBanjir, "/replay?url=x", "/nothing", "/export?format=csv"} {
		rec := f.get(t, path)
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s (%d): X-Content-Type-Options %q, want nosniff", path, rec.Code, got)
		}
	}
}
