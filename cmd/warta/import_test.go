package main

import (
	"errors"
	"testing"
)

// TestUnsettledBounded checks that an import holds at most maxUnsettled
// settles: the next one settles those held first, and the first error of
// a capture lost comes back from add or from settle.
func TestUnsettledBounded(t *testing.T) {
	var u unsettled
	settled := make([]int, 2*maxUnsettled)
	lost := errors.New("lost")
	settle := func(i int) func() error {
		return func() error {
			settled[i]++
			if i == 3 || i == maxUnsettled+5 {
				return lost
			}
			return nil
		}
	}
	for i := range maxUnsettled {
		if err := u.add(settle(i)); err != nil {
			t.Fatalf("add(%d) = %v, want nil while fewer than maxUnsettled are held", i, err)
		}
	}
	for i, n := range settled {
		if n != 0 {
			t.Fatalf("settle %d ran %d times before maxUnsettled were held, want 0", i, n)
		}
	}
	if err := u.add(settle(maxUnsettled)); !errors.Is(err, lost) {
		t.Errorf("add past maxUnsettled = %v, want the loss of settle 3", err)
	}
	for i, n := range settled[:maxUnsettled+1] {
		if want := min(1, maxUnsettled-i); n != want {
			t.Errorf("after add past maxUnsettled, settle %d ran %d times, want %d", i, n, want)
		}
	}
	for i := maxUnsettled + 1; i < len(settled); i++ {
		if err := u.add(settle(i)); err != nil {
			t.Fatalf("add(%d) = %v, want nil", i, err)
		}
	}
	if err := u.settle(); !errors.Is(err, lost) {
		t.Errorf("settle = %v, want the loss of settle %d", err, maxUnsettled+5)
	}
	for i, n := range settled {
		if n != 1 {
			t.Errorf("after settle, settle %d ran %d times, want 1", i, n)
		}
	}
	if err := u.settle(); err != nil {
		t.Errorf("second settle = %v, want nil: nothing is held", err)
	}
}
