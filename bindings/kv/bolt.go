package kv

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bolt is the embedded Store: one bbolt file per namespace.
//
// One file per namespace, rather than one bucket per namespace in a shared
// file, because bbolt allows one writer per file and one process per file
// (it takes an exclusive flock): separate files let namespaces commit (and
// fsync) in parallel, let the workers that own them run in separate
// processes, and let an operator back up, move or delete one namespace by
// copying or removing its file.
//
// Writes go through one goroutine that commits every write waiting at the
// time in one transaction (group commit), so concurrent puts share an
// fsync instead of queueing for one each, and a lone put waits for nothing
// but its own commit.
type Bolt struct {
	db   *bolt.DB
	path string
	now  func() time.Time // the clock expirations are judged by; tests replace it

	mu       sync.RWMutex
	closed   bool
	inFlight sync.WaitGroup

	writes      chan *write
	writerDone  chan struct{}
	closeResult error
}

var bucketName = []byte("kv")

// Bounds of one group commit: a transaction holds at most this many writes
// and, beyond its first write, this many bytes of values.
const (
	maxBatchWrites = 256
	maxBatchBytes  = 32 << 20
)

// OpenBolt opens the namespace stored in the bbolt file at path, creating
// it if needed. The file is locked for the life of the Bolt: a second
// OpenBolt of the same path, in this process or another, fails after a
// second instead of waiting.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("kv: opening %s: the file is locked by another user: %w", path, err)
		}
		return nil, fmt.Errorf("kv: opening %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketName)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("kv: opening %s: %w", path, err)
	}
	b := &Bolt{
		db:         db,
		path:       path,
		now:        time.Now,
		writes:     make(chan *write, 1024),
		writerDone: make(chan struct{}),
	}
	go b.writer()
	return b, nil
}

// Path returns the file the namespace is stored in.
func (b *Bolt) Path() string { return b.path }

// begin registers a call in flight, so that Close waits for it.
func (b *Bolt) begin() error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return ErrClosed
	}
	b.inFlight.Add(1)
	return nil
}

// Get implements Store.
func (b *Bolt) Get(ctx context.Context, key string) (Entry, bool, error) {
	if err := b.begin(); err != nil {
		return Entry{}, false, err
	}
	defer b.inFlight.Done()
	if err := ctx.Err(); err != nil {
		return Entry{}, false, err
	}
	var e Entry
	var found, expired bool
	now := b.now().Unix()
	err := b.db.View(func(tx *bolt.Tx) error {
		rec := tx.Bucket(bucketName).Get([]byte(key))
		if rec == nil {
			return nil
		}
		r, err := decodeRecord(rec)
		if err != nil {
			return fmt.Errorf("key %q: %w", key, err)
		}
		if r.expiredAt(now) {
			expired = true
			return nil
		}
		// The record lives in the memory map only during the transaction.
		e = Entry{Value: bytes.Clone(r.value), Expiration: r.expiration, Metadata: bytes.Clone(r.metadata)}
		found = true
		return nil
	})
	if err != nil {
		return Entry{}, false, fmt.Errorf("kv: get: %w", err)
	}
	if expired {
		b.purge(key, now)
	}
	return e, found, nil
}

// Put implements Store.
func (b *Bolt) Put(ctx context.Context, key string, e Entry) error {
	if key == "" {
		return errors.New("kv: put: empty key")
	}
	return b.write(ctx, &write{key: []byte(key), rec: encodeRecord(e)})
}

// Delete implements Store.
func (b *Bolt) Delete(ctx context.Context, key string) error {
	if key == "" {
		return nil
	}
	return b.write(ctx, &write{key: []byte(key), del: true})
}

func (b *Bolt) write(ctx context.Context, w *write) error {
	if err := b.begin(); err != nil {
		return err
	}
	defer b.inFlight.Done()
	w.done = make(chan error, 1)
	select {
	case b.writes <- w:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w.done:
		return err
	case <-ctx.Done():
		// The write may still commit; it was not acknowledged.
		return ctx.Err()
	}
}

// purge deletes key if it is still expired when the writer gets to it,
// unless the writer is busy: expired entries are invisible anyway, and a
// later read retries. Called by a call in flight, so the channel is open.
func (b *Bolt) purge(key string, now int64) {
	select {
	case b.writes <- &write{key: []byte(key), del: true, ifExpiredAt: now}:
	default:
	}
}

// List implements Store.
func (b *Bolt) List(ctx context.Context, prefix, cursor string, limit int) ([]ListedKey, string, error) {
	if err := b.begin(); err != nil {
		return nil, "", err
	}
	defer b.inFlight.Done()
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	var after []byte
	if cursor != "" {
		var err error
		after, err = base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || !bytes.HasPrefix(after, []byte(prefix)) {
			return nil, "", ErrInvalidCursor
		}
	}
	if limit <= 0 {
		return nil, cursor, nil
	}
	now := b.now().Unix()
	var keys []ListedKey
	var next string
	var expired []string
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketName).Cursor()
		pre := []byte(prefix)
		var k, v []byte
		if after != nil {
			k, v = c.Seek(after)
			if bytes.Equal(k, after) {
				k, v = c.Next()
			}
		} else {
			k, v = c.Seek(pre)
		}
		for ; k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
			if len(keys) == limit {
				next = base64.RawURLEncoding.EncodeToString([]byte(keys[len(keys)-1].Name))
				return nil
			}
			r, err := decodeRecord(v)
			if err != nil {
				return fmt.Errorf("key %q: %w", k, err)
			}
			if r.expiredAt(now) {
				expired = append(expired, string(k))
				continue
			}
			keys = append(keys, ListedKey{Name: string(k), Expiration: r.expiration, Metadata: bytes.Clone(r.metadata)})
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("kv: list: %w", err)
	}
	for _, k := range expired {
		b.purge(k, now)
	}
	return keys, next, nil
}

// Close implements Store. It waits for calls in flight and for writes
// already queued to commit, then closes the file.
func (b *Bolt) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		<-b.writerDone
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	b.inFlight.Wait()
	close(b.writes)
	<-b.writerDone
	if err := b.db.Close(); err != nil {
		return fmt.Errorf("kv: closing %s: %w", b.path, err)
	}
	return nil
}

// write is one change for the writer goroutine.
type write struct {
	key []byte
	rec []byte // the encoded record, unless del
	del bool
	// ifExpiredAt, when set, makes a delete a purge: it happens only if
	// the record is (still) expired at that time.
	ifExpiredAt int64
	done        chan error // nil for purges
}

func (w *write) size() int { return len(w.key) + len(w.rec) }

func (w *write) apply(bk *bolt.Bucket) error {
	if !w.del {
		return bk.Put(w.key, w.rec)
	}
	if w.ifExpiredAt != 0 {
		rec := bk.Get(w.key)
		if rec == nil {
			return nil
		}
		if r, err := decodeRecord(rec); err == nil && !r.expiredAt(w.ifExpiredAt) {
			return nil // replaced since it was seen expired
		}
	}
	return bk.Delete(w.key)
}

// writer commits the queued writes, as many per transaction as are
// waiting, until the channel is closed.
func (b *Bolt) writer() {
	defer close(b.writerDone)
	var batch []*write
	for w := range b.writes {
		batch = append(batch[:0], w)
		size := w.size()
	gather:
		for len(batch) < maxBatchWrites && size < maxBatchBytes {
			select {
			case w, ok := <-b.writes:
				if !ok {
					break gather
				}
				batch = append(batch, w)
				size += w.size()
			default:
				break gather
			}
		}
		err := b.commit(batch)
		if err != nil && len(batch) > 1 {
			// One bad write must not fail the others: retry each alone.
			for _, w := range batch {
				w.ack(b.commit([]*write{w}))
			}
			continue
		}
		for _, w := range batch {
			w.ack(err)
		}
	}
}

func (b *Bolt) commit(batch []*write) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketName)
		for _, w := range batch {
			if err := w.apply(bk); err != nil {
				return fmt.Errorf("key %q: %w", w.key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("kv: writing %s: %w", b.path, err)
	}
	return nil
}

func (w *write) ack(err error) {
	if w.done != nil {
		w.done <- err
	}
}

// A record is an entry as stored: a format byte, the expiration (8 bytes,
// big-endian), the metadata's length (uvarint) and the metadata, then the
// value.
const recordFormat = 1

type record struct {
	expiration int64
	metadata   []byte
	value      []byte
}

func (r record) expiredAt(now int64) bool { return r.expiration != 0 && r.expiration <= now }

func encodeRecord(e Entry) []byte {
	buf := make([]byte, 0, 1+8+binary.MaxVarintLen64+len(e.Metadata)+len(e.Value))
	buf = append(buf, recordFormat)
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.Expiration))
	buf = binary.AppendUvarint(buf, uint64(len(e.Metadata)))
	buf = append(buf, e.Metadata...)
	return append(buf, e.Value...)
}

var errCorrupt = errors.New("corrupt record")

func decodeRecord(b []byte) (record, error) {
	if len(b) < 9 || b[0] != recordFormat {
		return record{}, errCorrupt
	}
	r := record{expiration: int64(binary.BigEndian.Uint64(b[1:9]))}
	n, w := binary.Uvarint(b[9:])
	if w <= 0 || n > uint64(len(b)-9-w) {
		return record{}, errCorrupt
	}
	start := 9 + w
	if n > 0 {
		r.metadata = b[start : start+int(n)]
	}
	r.value = b[start+int(n):]
	return r, nil
}

var _ Store = (*Bolt)(nil)
