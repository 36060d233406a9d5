//go:build unix

package index

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used so far, in user mode
// and in the kernel. Unlike a rate, CPU per article hardly depends on how
// many other processes share the machine.
func cpuTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
