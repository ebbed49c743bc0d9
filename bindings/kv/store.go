package kv

import (
	"context"
	"errors"
)

// Store is a KV namespace's storage. Implementations must be safe for
// concurrent use by many isolates, and must hide expired entries at once:
// an entry whose Expiration has passed is not returned by Get or List,
// whether or not it has been purged yet. Keys are compared as bytes.
//
// The JavaScript binding checks Cloudflare's limits (key and value sizes,
// expiration, metadata) before it calls a Store, so a Store need not.
type Store interface {
	// Get returns the entry stored under key, and false if there is none
	// (or it expired). The returned slices belong to the caller.
	Get(ctx context.Context, key string) (Entry, bool, error)

	// Put stores e under key, replacing what was there. It returns only
	// once the write is durable: an entry Put acknowledged survives a
	// crash of the process or the machine. Put does not keep e's slices
	// after it returns; the caller must not modify them before.
	Put(ctx context.Context, key string, e Entry) error

	// Delete removes key, durably as Put; deleting a missing key is not
	// an error.
	Delete(ctx context.Context, key string) error

	// List returns up to limit keys that start with prefix, in ascending
	// byte order, after cursor: "" for the first page, else the next value
	// of the previous call with the same prefix. next is "" when there are
	// no more keys, and otherwise an opaque string to pass as cursor. A
	// page may hold fewer than limit keys even when next is not "".
	List(ctx context.Context, prefix, cursor string, limit int) (keys []ListedKey, next string, err error)

	// Close releases the store. Calls after Close fail with ErrClosed;
	// calls in flight finish first.
	Close() error
}

// Entry is a value with the data KV keeps beside it.
type Entry struct {
	Value []byte
	// Expiration is when the entry expires, in seconds since the Unix
	// epoch; 0 means never.
	Expiration int64
	// Metadata is the entry's metadata as JSON text, nil if it has none.
	Metadata []byte
}

// ListedKey is one key of a List page.
type ListedKey struct {
	Name       string
	Expiration int64  // as in Entry
	Metadata   []byte // as in Entry
}

// ErrClosed is returned by a Store's methods after Close.
var ErrClosed = errors.New("kv: store closed")

// ErrInvalidCursor is returned by List for a cursor it did not make.
var ErrInvalidCursor = errors.New("kv: invalid cursor")
