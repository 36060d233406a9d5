package main

import (
	"time"

	"github.com/warta-id/warta/internal/cputime"
)

// cpuTime returns the CPU time the process has used so far, in user mode
// and in the kernel.
func cpuTime() (user, sys time.Duration) { return cputime.Used() }
