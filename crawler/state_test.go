package crawler

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestStateGroupCommit checks in a synctest bubble that the records
// queued within stateLinger of the first go into one commit, that a
// record after that commit starts the next, and that closing the queue
// commits what is gathered at once.
func TestStateGroupCommit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		s, err := openStore(filepath.Join(t.TempDir(), "state.db"), "x", log)
		if err != nil {
			t.Fatal(err)
		}
		defer s.close()
		done := make(chan error)
		go func() { done <- s.writeLoop() }()
		start := time.Now()
		set := func(i int) {
			s.set(t.Context(), fmt.Sprint("http://x.id/baca/", i), record{Kind: KindArticle, Hash: strconv.Itoa(i)})
		}
		for i := range 3 {
			set(i)
		}
		time.Sleep(stateLinger / 2)
		set(3)
		time.Sleep(stateLinger)
		set(4)
		close(s.pending)
		if err := <-done; err != nil {
			t.Fatalf("writeLoop = %v", err)
		}
		if el, want := time.Since(start), stateLinger*3/2; el != want {
			t.Errorf("writeLoop returned %v after the first record, want %v (closing commits at once)", el, want)
		}
		var commits []int
		for _, line := range strings.Split(logs.String(), "\n") {
			if _, v, ok := strings.Cut(line, "msg=state_committed records="); ok {
				v, _, _ = strings.Cut(v, " ")
				n, _ := strconv.Atoi(v)
				commits = append(commits, n)
			}
		}
		if want := []int{4, 1}; !slices.Equal(commits, want) {
			t.Errorf("commits of %v records, want %v", commits, want)
		}
		for i := range 5 {
			if rec, ok := s.get(fmt.Sprint("http://x.id/baca/", i)); !ok || rec.Hash != strconv.Itoa(i) {
				t.Errorf("record %d after the commits = %+v, %v; want hash %d", i, rec, ok, i)
			}
		}
	})
}
