//go:build race

package extract

// raceEnabled is true when the tests run under the race detector, which
// makes the 50 MB page take tens of seconds; its time and memory figures
// mean nothing there.
const raceEnabled = true
