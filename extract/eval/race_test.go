//go:build race

package eval

// raceEnabled is true when the tests run under the race detector, which
// slows the peers' extractors tenfold: the side-by-side comparison then
// runs only without -race (make bench).
const raceEnabled = true
