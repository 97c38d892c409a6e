// Command cosigcheck verifies a cosigned checkpoint with third-party code: the log's
// signature with golang.org/x/mod/sumdb/note, the checkpoint format with
// filippo.io/torchwood, and each witness's c2sp.org/tlog-cosignature v1 signature.
//
// Usage: cosigcheck CHECKPOINT_FILE LOG_VKEY WITNESS_VKEY... ; prints "ok" and exits 0 when
// the log and every witness signed, otherwise prints why and exits 1.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
)

const algCosignatureV1 = 4

// cosignatureVerifier is a note.Verifier for one witness's cosignature/v1 key.
type cosignatureVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func newCosignatureVerifier(vkey string) (*cosignatureVerifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("witness key is not name+hash+key")
	}
	hash, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != algCosignatureV1 {
		return nil, fmt.Errorf("witness key is not a cosignature/v1 key")
	}
	h := sha256.New()
	h.Write([]byte(parts[0] + "\n"))
	h.Write(raw)
	if binary.BigEndian.Uint32(h.Sum(nil)) != uint32(hash) {
		return nil, fmt.Errorf("witness key hash does not match its key")
	}
	return &cosignatureVerifier{parts[0], uint32(hash), ed25519.PublicKey(raw[1:])}, nil
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }
func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	c, err := torchwood.ParseCheckpoint(string(msg))
	if err != nil || c.String() != string(msg) {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	signed := fmt.Sprintf("cosignature/v1\ntime %d\n%s", t, msg)
	return ed25519.Verify(v.key, []byte(signed), sig[8:])
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: cosigcheck CHECKPOINT_FILE LOG_VKEY WITNESS_VKEY...")
		os.Exit(2)
	}
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	logKey, err := note.NewVerifier(os.Args[2])
	if err != nil {
		fail(err)
	}
	verifiers := []note.Verifier{logKey}
	for _, vkey := range os.Args[3:] {
		v, err := newCosignatureVerifier(vkey)
		if err != nil {
			fail(err)
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open(text, note.VerifierList(verifiers...))
	if err != nil {
		fail(err)
	}
	if _, err := torchwood.ParseCheckpoint(n.Text); err != nil {
		fail(err)
	}
	signed := map[string]bool{}
	for _, sig := range n.Sigs {
		signed[sig.Name] = true
		if sig.Name != logKey.Name() {
			if _, err := torchwood.CosignatureTimestamp(sig); err != nil {
				fail(err)
			}
		}
	}
	for _, v := range verifiers {
		if !signed[v.Name()] {
			fail(fmt.Errorf("no valid signature by %s", v.Name()))
		}
	}
	fmt.Println("ok")
}

func fail(err error) {
	fmt.Println("error:", err)
	os.Exit(1)
}
