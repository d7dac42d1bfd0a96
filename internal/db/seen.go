package db

import "hash/maphash"

// seenSize is how many texts a reader connection remembers having run once (as hashes).
const seenSize = 256

// textSeed hashes the texts connections have seen.
var textSeed = maphash.MakeSeed()

// seenTexts remembers the texts a connection ran lately, so that its statement is prepared and
// kept the second time a text comes and not the first: most texts never come again (a list
// filtered by one project of a thousand), and keeping them costs the connection's memory. A
// connection is used by one caller at a time, so no lock.
type seenTexts struct {
	hashes map[uint64]struct{}
	ring   [seenSize]uint64 // the same hashes in the order they came
	next   int              // the oldest's place in ring, which the next text takes
}

func newSeenTexts() *seenTexts {
	return &seenTexts{hashes: make(map[uint64]struct{}, seenSize)}
}

// first reports whether query is new to the connection lately, and remembers it.
func (s *seenTexts) first(query string) bool {
	h := maphash.String(textSeed, query)
	if _, ok := s.hashes[h]; ok {
		return false
	}
	if len(s.hashes) == seenSize {
		delete(s.hashes, s.ring[s.next])
	}
	s.hashes[h] = struct{}{}
	s.ring[s.next] = h
	s.next = (s.next + 1) % seenSize
	return true
}
