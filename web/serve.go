package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// ServeOptions tunes Serve. The zero value is ready to use.
type ServeOptions struct {
	// Wrap, when not nil, wraps the handler: a check that every request
	// passes first, such as AllowHosts.
	Wrap func(http.Handler) http.Handler
	// Logger receives the server's log records; nil discards them.
	Logger *slog.Logger
	// WriteTimeout bounds the writing of one response; 0 means
	// DefaultExportTimeout and half a minute, room for an export.
	WriteTimeout time.Duration
	// ShutdownTimeout is how long requests in flight may take to finish
	// once ctx is done, before they are cut off; 0 means 5 seconds.
	ShutdownTimeout time.Duration
	// ReadHeaderTimeout bounds the reading of a request's headers, so
	// that a client that sends them a byte at a time (slowloris) is cut
	// off; 0 means 10 seconds.
	ReadHeaderTimeout time.Duration
}

// Serve serves h on ln until ctx is done, then shuts down gracefully:
// requests in flight get ShutdownTimeout to finish, then are cut off. It
// returns nil after a shutdown that ctx asked for, and the error that
// stopped the server otherwise. The http.Server has the timeouts and
// limits that a server facing slow or hostile clients needs. It is the one
// serve-and-shutdown sequence of warta's servers (the web UI, the daemon,
// the demo site of `warta demo`).
func Serve(ctx context.Context, ln net.Listener, h http.Handler, opt ServeOptions) error {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = DefaultExportTimeout + 30*time.Second
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 5 * time.Second
	}
	if opt.ReadHeaderTimeout <= 0 {
		opt.ReadHeaderTimeout = 10 * time.Second
	}
	if opt.Wrap != nil {
		h = opt.Wrap(h)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: opt.ReadHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      opt.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests keep their contexts through a graceful shutdown;
		// Close, when it gives up waiting, cuts them off.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("web_listening", "addr", ln.Addr().String())
	select {
	case err := <-done:
		return fmt.Errorf("web: serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), opt.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shut)
	if errors.Is(err, context.DeadlineExceeded) {
		// Requests still going (a long export) are cut off.
		log.Warn("web_shutdown_cut", "after", opt.ShutdownTimeout.String())
		err = srv.Close()
	}
	if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	log.Info("web_stopped")
	return nil
}

// AllowHosts returns a wrapper that answers 421 Misdirected Request to
// every request whose Host header names none of: a loopback name
// (localhost, an address of 127.0.0.0/8, ::1), and hosts. Without it, a web
// page anywhere could reach the server through DNS rebinding: its own
// name, resolved again to 127.0.0.1, would make the browser send the
// page's requests here with the page's Host. hosts are host names or
// addresses, with or without a port (which is ignored): the address the
// server listens on and any name it is reached by (`--allow-host`). An
// unspecified address (0.0.0.0, ::) among them lets in every IP address:
// a DNS rebinding always names a host, never an address.
//
// Every response through the wrapper, refused or not, carries
// "X-Content-Type-Options: nosniff".
func AllowHosts(hosts ...string) func(http.Handler) http.Handler {
	allowed := map[string]bool{"localhost": true}
	anyIP := false
	for _, h := range hosts {
		h = hostName(h)
		if ip := net.ParseIP(h); ip != nil && ip.IsUnspecified() {
			anyIP = true
			continue
		}
		if h != "" {
			allowed[h] = true
		}
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Content-Type-Options", "nosniff")
			host := hostName(r.Host)
			ip := net.ParseIP(host)
			if allowed[host] || ip != nil && (ip.IsLoopback() || anyIP) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusMisdirectedRequest)
			fmt.Fprintf(w, "421 misdirected request: this warta server does not answer for host %q (start it with --allow-host to allow a name)\n", clip(r.Host, 80))
		})
	}
}

// hostName returns the host of a Host header or an address: lower-case,
// without port, brackets or a final dot.
func hostName(hostport string) string {
	h := strings.ToLower(strings.TrimSpace(hostport))
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}
