package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"sync"
	"time"
)

const timestampLayout = "2006-01-02T15:04:05.000Z"

type item struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	PriceCents int64  `json:"price_cents"`
	CreatedAt  string `json:"created_at"`
}

// key is an item's position in the list order: created_at, ties broken by id.
type key struct{ createdAt, id string }

func (a key) less(b key) bool {
	if a.createdAt != b.createdAt {
		return a.createdAt < b.createdAt
	}
	return a.id < b.id
}

// store keeps items sorted by key: a keyset cursor names the last item seen, so pages stay
// stable when items are created or deleted between requests.
type store struct {
	mu     sync.RWMutex
	sorted []*item
	byID   map[string]*item
}

func newStore() *store { return &store{byID: map[string]*item{}} }

// upperBound is the index of the first item whose key is greater than k.
func (s *store) upperBound(k key) int {
	return sort.Search(len(s.sorted), func(i int) bool {
		it := s.sorted[i]
		return k.less(key{it.CreatedAt, it.ID})
	})
}

func (s *store) create(name string, priceCents int64) item {
	s.mu.Lock()
	defer s.mu.Unlock()
	// created_at is taken under the lock so insertion order never contradicts it.
	it := &item{ID: newUUID(), Name: name, PriceCents: priceCents, CreatedAt: time.Now().UTC().Format(timestampLayout)}
	at := s.upperBound(key{it.CreatedAt, it.ID})
	s.sorted = append(s.sorted, nil)
	copy(s.sorted[at+1:], s.sorted[at:])
	s.sorted[at] = it
	s.byID[it.ID] = it
	return *it
}

func (s *store) get(id string) (item, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.byID[id]
	if !ok {
		return item{}, false
	}
	return *it, true
}

func (s *store) delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.byID[id]
	if !ok {
		return false
	}
	delete(s.byID, id)
	if at := s.upperBound(key{it.CreatedAt, it.ID}) - 1; at >= 0 && s.sorted[at].ID == id {
		s.sorted = append(s.sorted[:at], s.sorted[at+1:]...)
	}
	return true
}

// page returns up to limit items after the cursor's key (from the start without one) and
// whether more follow.
func (s *store) page(after *key, limit int) ([]item, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	start := 0
	if after != nil {
		start = s.upperBound(*after)
	}
	end := min(start+limit, len(s.sorted))
	page := make([]item, 0, end-start)
	for _, it := range s.sorted[start:end] {
		page = append(page, *it)
	}
	return page, start+limit < len(s.sorted)
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

type cursorBody struct {
	C string `json:"c"`
	I string `json:"i"`
}

func encodeCursor(it item) string {
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	_ = encoder.Encode(cursorBody{C: it.CreatedAt, I: it.ID})
	return base64.RawURLEncoding.EncodeToString(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

var cursorShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,512}$`)

var errInvalidCursor = &httpError{status: 400, title: "Invalid cursor", detail: "cursor is not one this server issued"}

// decodeCursor accepts only what encodeCursor could have produced: base64url JSON naming a
// timestamp in the server's own format and an id.
func decodeCursor(cursor string) (*key, error) {
	if !cursorShape.MatchString(cursor) {
		return nil, errInvalidCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !json.Valid(raw) {
		return nil, errInvalidCursor
	}
	var parsed any
	if json.Unmarshal(raw, &parsed) != nil {
		return nil, errInvalidCursor
	}
	fields, ok := parsed.(map[string]any)
	if !ok {
		return nil, errInvalidCursor
	}
	createdAt, okC := fields["c"].(string)
	id, okI := fields["i"].(string)
	if !okC || !okI {
		return nil, errInvalidCursor
	}
	if t, err := time.Parse(timestampLayout, createdAt); err != nil || t.Format(timestampLayout) != createdAt {
		return nil, errInvalidCursor
	}
	return &key{createdAt, id}, nil
}
