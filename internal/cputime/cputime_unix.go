//go:build unix

package cputime

import (
	"syscall"
	"time"
)

// Used returns the CPU time the process has used so far, in user mode
// and in the kernel.
func Used() (user, sys time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
