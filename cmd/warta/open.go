package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/index"
)

// openWriter opens the archive of dataDir for writing, and its index,
// brought up to date with the archive after a crash. close closes both.
func openWriter(ctx context.Context, e *env, dataDir string) (store *archive.Store, idx *index.Index, close func() error, err error) {
	store, idx, close, err = openBoth(e, dataDir, archive.Options{Logger: e.log, Software: "warta/" + moduleVersion(), FS: e.archiveFS})
	if err != nil {
		return nil, nil, nil, err
	}
	if err := catchUpIndex(ctx, e, store, idx); err != nil {
		close()
		return nil, nil, nil, err
	}
	return store, idx, close, nil
}

// openReader opens the archive of dataDir for reading, beside a process
// that may be writing it, and its index. close closes both.
func openReader(e *env, dataDir string) (store *archive.Store, idx *index.Index, close func() error, err error) {
	return openBoth(e, dataDir, archive.Options{ReadOnly: true, Logger: e.log})
}

// openBoth opens the archive of dataDir with opt, and its index.
func openBoth(e *env, dataDir string, opt archive.Options) (*archive.Store, *index.Index, func() error, error) {
	store, err := archive.Open(dataDir, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	idx, err := openIndex(e, dataDir)
	if err != nil {
		store.Close()
		return nil, nil, nil, err
	}
	return store, idx, func() error { return errors.Join(idx.Close(), store.Close()) }, nil
}

// openIndex opens the index of dataDir.
func openIndex(e *env, dataDir string) (*index.Index, error) {
	return index.Open(filepath.Join(dataDir, "index"), index.Options{Logger: e.log})
}

// warnOutdated tells a reader of an index made by an earlier warta to
// rebuild it with `warta reindex` (index.MappingVersion says what an old
// one lacks); a crawl, an import or a reindex rebuilds it.
func warnOutdated(ctx context.Context, e *env, idx *index.Index, dataDir string) {
	old, err := idx.Outdated(ctx)
	if err == nil && old {
		e.log.Warn("index_mapping_outdated", "hint", "made by an earlier warta: captions, address words and breakdowns may find nothing, and it is larger and slower to write, until `warta reindex --data "+dataDir+"`")
	}
	if errors.Is(err, index.ErrUnreadable) {
		// serve goes on (article pages and replay need no index); its
		// searches answer 503 until the rebuild.
		e.log.Error("index_unreadable", "err", err, "hint", "rebuild it from the archive: "+e.commandLine("reindex", "--data", dataDir))
	}
}
