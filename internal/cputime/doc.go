// Package cputime tells benchmarks how much CPU time the process has used.
// Unlike a rate, CPU per article hardly depends on how many other
// processes share the machine, so the benchmarks print it beside their
// rates. It imports nothing of warta's.
package cputime
