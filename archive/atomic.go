package archive

// WriteFile makes path hold data, or leaves it as it was, with the same
// crash safety as the archive's own files (temp file in the same directory,
// fsync, rename, directory fsync). Other parts of warta use it for the
// small files they keep in a data directory, such as run summaries.
func WriteFile(path string, data []byte) error {
	return writeFileAtomic(osFS{}, path, data)
}
