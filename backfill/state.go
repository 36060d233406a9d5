package backfill

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// state remembers, per site, the captures a backfill is done with: handed
// over and accepted, or skipped for good (gone from the archive). A
// capture is marked only after the caller accepted it, so a kill -9 costs
// at most the capture in flight. A nil state remembers nothing.
type state struct {
	db     *bolt.DB
	bucket []byte
}

func openState(path, site string) (*state, error) {
	if path == "" {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("backfill: state %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("backfill: state %s is locked by another backfill", path)
		}
		return nil, fmt.Errorf("backfill: open state %s: %w", path, err)
	}
	s := &state{db: db, bucket: []byte("done:" + site)}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(s.bucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("backfill: state %s: %w", path, err)
	}
	return s, nil
}

// done reports whether the capture with key was finished by an earlier run.
func (s *state) done(key string) bool {
	if s == nil {
		return false
	}
	found := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(s.bucket).Get([]byte(key)) != nil
		return nil
	})
	return found
}

// mark records that the capture with key is finished, with what became of it.
func (s *state) mark(key, outcome string) error {
	if s == nil {
		return nil
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(s.bucket).Put([]byte(key), []byte(outcome))
	}); err != nil {
		return fmt.Errorf("backfill: state: %w", err)
	}
	return nil
}

func (s *state) close() error {
	if s == nil {
		return nil
	}
	return s.db.Close()
}
