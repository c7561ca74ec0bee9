// A standard tlog-tiles client, Go's golang.org/x/mod/sumdb/tlog, reading Stenographer's tiles over HTTP.
// Its tile paths carry the tile height (tile/8/L/N); Stenographer's, like C2SP tlog-tiles, do not.
//
// Usage: main BASE_URL TOKEN_FILE TREE_SIZE ROOT_BASE64 LEAF_INDEX OLD_TREE_SIZE
// Prints "leaf <index> <hex>" and "old-root <base64>" and exits 0 when every check passes.
package main

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

type httpTiles struct {
	base  string
	token string
}

func (r httpTiles) Height() int { return 8 }

func (r httpTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, tile := range tiles {
		path := strings.Replace(tile.Path(), "tile/8/", "tile/", 1)
		request, err := http.NewRequest("GET", r.base+"/"+path, nil)
		if err != nil {
			return nil, err
		}
		request.Header.Set("Authorization", "Bearer "+r.token)
		response, err := http.DefaultClient.Do(request)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(io.LimitReader(response.Body, 8192+1))
		response.Body.Close()
		if err != nil {
			return nil, err
		}
		if response.StatusCode != 200 {
			return nil, fmt.Errorf("GET %s: %d %s", path, response.StatusCode, body)
		}
		data[i] = body
	}
	return data, nil
}

func (r httpTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 7 {
		fail("usage: main BASE_URL TOKEN_FILE TREE_SIZE ROOT_BASE64 LEAF_INDEX OLD_TREE_SIZE")
	}
	token, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail("token: %v", err)
	}
	size, _ := strconv.ParseInt(os.Args[3], 10, 64)
	rootBytes, err := base64.StdEncoding.DecodeString(os.Args[4])
	if err != nil || len(rootBytes) != tlog.HashSize {
		fail("root: %v", err)
	}
	leaf, _ := strconv.ParseInt(os.Args[5], 10, 64)
	old, _ := strconv.ParseInt(os.Args[6], 10, 64)
	var root tlog.Hash
	copy(root[:], rootBytes)

	// Every hash this reader returns comes from tiles it checked against the tree's root.
	hashes := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, httpTiles{os.Args[1], strings.TrimSpace(string(token))})
	treeHash, err := tlog.TreeHash(size, hashes)
	if err != nil || treeHash != root {
		fail("tree hash from tiles: %v %v", treeHash, err)
	}
	leafHashes, err := hashes.ReadHashes([]int64{tlog.StoredHashIndex(0, leaf)})
	if err != nil {
		fail("leaf hash: %v", err)
	}
	proof, err := tlog.ProveRecord(size, leaf, hashes)
	if err != nil {
		fail("record proof: %v", err)
	}
	if err := tlog.CheckRecord(proof, size, root, leaf, leafHashes[0]); err != nil {
		fail("record proof does not check: %v", err)
	}
	oldRoot, err := tlog.TreeHash(old, hashes)
	if err != nil {
		fail("old tree hash: %v", err)
	}
	treeProof, err := tlog.ProveTree(size, old, hashes)
	if err != nil {
		fail("tree proof: %v", err)
	}
	if err := tlog.CheckTree(treeProof, size, root, old, oldRoot); err != nil {
		fail("tree proof does not check: %v", err)
	}
	fmt.Printf("leaf %d %s\n", leaf, hex.EncodeToString(leafHashes[0][:]))
	fmt.Printf("old-root %s\n", base64.StdEncoding.EncodeToString(oldRoot[:]))
}
