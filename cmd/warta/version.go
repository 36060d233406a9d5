package main

import (
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…"; left
// empty, the module version from the build info stands in.
var version = ""

// moduleVersion returns version, or the main module's version from the
// build info ("devel" for a build from a working tree).
func moduleVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// versionText is what --version prints: the module version, and the VCS
// revision, its time and whether the tree had changes, when Go recorded
// them (go build in a git checkout does; go run does not).
func versionText() string {
	v := moduleVersion()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev, at string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v + " (no VCS revision recorded; " + info.GoVersion + ")"
	}
	parts := []string{"revision " + rev[:min(12, len(rev))]}
	if dirty {
		parts[0] += " with local changes"
	}
	if at != "" {
		parts = append(parts, at)
	}
	parts = append(parts, info.GoVersion)
	return v + " (" + strings.Join(parts, ", ") + ")"
}
