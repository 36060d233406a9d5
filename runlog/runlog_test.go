package runlog

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteListLatest(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	recs := []*Record{
		{Site: "a", Started: t0, Finished: t0.Add(time.Minute), Status: StatusOK},
		{Site: "a", Started: t0.Add(time.Hour), Finished: t0.Add(time.Hour + time.Minute), Status: StatusFailed, Error: "boom"},
		{Site: "a-b", Started: t0.Add(30 * time.Minute), Finished: t0.Add(31 * time.Minute), Status: StatusOK},
		{Site: "a-b", Started: t0.Add(40 * time.Minute), Finished: t0.Add(40 * time.Minute), Status: StatusSkipped},
	}
	for _, r := range recs {
		if err := Write(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	// A record that cannot be read is skipped, not fatal.
	if err := os.WriteFile(filepath.Join(Dir(dir), "a-broken.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}

	got, err := List(dir, "a", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Status != StatusFailed || got[1].Status != StatusOK {
		t.Fatalf("List(a) = %d records (first %+v), want 2, newest (failed) first", len(got), got)
	}
	if got[1].Duration() != time.Minute {
		t.Errorf("Duration() = %v, want 1m", got[1].Duration())
	}
	if all, _ := List(dir, "", 1); len(all) != 1 || all[0].Started != t0.Add(time.Hour) {
		t.Errorf("List(all, limit 1) = %+v, want the newest record only", all)
	}
	latest, lastOK, err := Latest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if latest["a"].Status != StatusFailed || lastOK["a"].Started != t0 || lastOK["a-b"] == nil || latest["a-b"].Status != StatusOK {
		t.Errorf("Latest: latest[a] %+v, lastOK[a] %+v, lastOK[a-b] %+v", latest["a"], lastOK["a"], lastOK["a-b"])
	}

	// Writing the same run again replaces its record.
	recs[0].Status = StatusCancelled
	if err := Write(dir, recs[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := List(dir, "a", 0); len(got) != 2 || got[1].Status != StatusCancelled {
		t.Errorf("after rewriting a run: %d records, oldest status %q; want 2, cancelled", len(got), got[1].Status)
	}
}

func TestListWithoutRuns(t *testing.T) {
	got, err := List(t.TempDir(), "", 0)
	if err != nil || got != nil {
		t.Errorf("List of a data dir without runs = %v, %v; want nil, nil", got, err)
	}
}
