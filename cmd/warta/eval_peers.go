//go:build peers

package main

import (
	"github.com/warta-id/warta/extract/eval"
	"github.com/warta-id/warta/extract/eval/trafilatura"
)

// linkedPeers are the peers of `eval --peers` this build links beside
// eval.Peers: built with the peers tag, go-trafilatura.
var linkedPeers = []eval.Peer{{Name: trafilatura.Name, Fn: trafilatura.Extract}}
