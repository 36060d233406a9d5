package atomicfile

import "sync/atomic"

// SyncCounter is a file system that counts the fsyncs made through it,
// of files and of directories: the benchmarks print fsyncs per article
// with it, and tests bound them.
type SyncCounter struct {
	FS
	n atomic.Int64
}

// Syncs returns the fsyncs counted so far.
func (c *SyncCounter) Syncs() int64 { return c.n.Load() }

// CreateTemp implements FS.
func (c *SyncCounter) CreateTemp(dir, pattern string) (File, error) {
	f, err := c.FS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return countedFile{f, c}, nil
}

// OpenAppend implements FS.
func (c *SyncCounter) OpenAppend(name string) (File, error) {
	f, err := c.FS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return countedFile{f, c}, nil
}

// SyncDir implements FS.
func (c *SyncCounter) SyncDir(dir string) error {
	c.n.Add(1)
	return c.FS.SyncDir(dir)
}

// countedFile is a File of a SyncCounter.
type countedFile struct {
	File
	c *SyncCounter
}

func (f countedFile) Sync() error {
	f.c.n.Add(1)
	return f.File.Sync()
}
