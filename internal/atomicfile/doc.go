// Package atomicfile writes files that survive a crash whole or not at
// all, and takes the file locks that keep two processes from writing one
// data directory: the crash-safe file handling that archive, index and
// runlog share.
//
// A file is written to a temp file in its own directory, synced, renamed
// over the target, and the directory synced (restic's local backend does
// the same). All writes go through an FS, so that tests can inject a full
// disk or a failing fsync.
//
// It imports no other warta package.
package atomicfile
