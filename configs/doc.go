// Package configs holds warta's site profiles (the YAML files in this
// directory, embedded in the binary) and loads and validates site configs.
//
// A config error names the file, the line and the key that is wrong. The
// package reads only what it is given or what is embedded; it never reads the
// environment and imports no other warta package but extract (for Rules).
package configs
