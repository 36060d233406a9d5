package atomicfile

// ReadFile reads the file name whole, as os.ReadFile does, but on Unix
// without trying the network poller first (see fs_unix.go): the archive
// reads an article file for every article it saves, and every file of a
// walk.
func ReadFile(name string) ([]byte, error) { return readFile(name) }
