//go:build !peers

package main

import "github.com/warta-id/warta/extract/eval"

// linkedPeers are the peers of `eval --peers` this build links beside
// eval.Peers: none without the peers tag, because go-trafilatura's date
// tables would cost every warta command 0.4 s and 80 MB at start (see
// package extract/eval/trafilatura).
var linkedPeers []eval.Peer
