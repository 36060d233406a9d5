//go:build !unix

package atomicfile

import "os"

// flock locks nothing where the platform has no flock.
func flock(*os.File) error { return nil }
