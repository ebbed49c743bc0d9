package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var ctx = context.Background()

func mustPut(t testing.TB, s Store, key string, e Entry) {
	t.Helper()
	if err := s.Put(ctx, key, e); err != nil {
		t.Fatal(err)
	}
}

func TestBoltPutGetDelete(t *testing.T) {
	b := openTemp(t)
	if _, ok, err := b.Get(ctx, "k"); ok || err != nil {
		t.Fatalf("Get on an empty store: %v %v", ok, err)
	}
	mustPut(t, b, "k", Entry{Value: []byte("v1"), Metadata: []byte(`{"a":1}`), Expiration: 4102444800})
	e, ok, err := b.Get(ctx, "k")
	if err != nil || !ok {
		t.Fatalf("Get: %v %v", ok, err)
	}
	if string(e.Value) != "v1" || string(e.Metadata) != `{"a":1}` || e.Expiration != 4102444800 {
		t.Errorf("Get = %+v", e)
	}
	mustPut(t, b, "k", Entry{Value: nil})
	e, ok, _ = b.Get(ctx, "k")
	if !ok || len(e.Value) != 0 || e.Metadata != nil || e.Expiration != 0 {
		t.Errorf("after overwrite: %v %+v", ok, e)
	}
	if err := b.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.Get(ctx, "k"); ok {
		t.Error("deleted key still there")
	}
	if err := b.Delete(ctx, "never"); err != nil {
		t.Errorf("deleting a missing key: %v", err)
	}
	if err := b.Put(ctx, "", Entry{}); err == nil {
		t.Error("Put with an empty key succeeded")
	}
}

// The returned value is a copy: bbolt's memory map is valid only inside a
// transaction, and a caller may modify what it got.
func TestBoltGetCopies(t *testing.T) {
	b := openTemp(t)
	mustPut(t, b, "k", Entry{Value: []byte("abc")})
	e, _, _ := b.Get(ctx, "k")
	e.Value[0] = 'X'
	again, _, _ := b.Get(ctx, "k")
	if string(again.Value) != "abc" {
		t.Errorf("stored value changed to %q", again.Value)
	}
}

func TestBoltPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ns.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, b, "kept", Entry{Value: []byte("yes"), Metadata: []byte("1")})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b, err = OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	e, ok, err := b.Get(ctx, "kept")
	if err != nil || !ok || string(e.Value) != "yes" || string(e.Metadata) != "1" {
		t.Fatalf("after reopening: %v %v %+v", ok, err, e)
	}
}

func TestBoltExpiry(t *testing.T) {
	b := openTemp(t)
	now := time.Unix(1_000_000, 0)
	b.now = func() time.Time { return now }
	mustPut(t, b, "a/expires", Entry{Value: []byte("1"), Expiration: now.Unix() + 60})
	mustPut(t, b, "a/stays", Entry{Value: []byte("2")})
	if _, ok, _ := b.Get(ctx, "a/expires"); !ok {
		t.Fatal("not yet expired, but missing")
	}
	now = now.Add(60 * time.Second) // expiration is the first second it is gone
	if _, ok, _ := b.Get(ctx, "a/expires"); ok {
		t.Error("expired entry returned by Get")
	}
	keys, next, err := b.List(ctx, "a/", "", 10)
	if err != nil || next != "" || len(keys) != 1 || keys[0].Name != "a/stays" {
		t.Errorf("List = %+v %q %v", keys, next, err)
	}
	// The purge runs on the writer; Close waits for it.
	path := b.Path()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketName).Get([]byte("a/expires")) != nil {
			t.Error("expired entry not purged")
		}
		if tx.Bucket(bucketName).Get([]byte("a/stays")) == nil {
			t.Error("live entry purged")
		}
		return nil
	})
}

// A purge that reaches the writer after the key was written again leaves
// the new entry alone.
func TestBoltPurgeSparesNewEntry(t *testing.T) {
	b := openTemp(t)
	now := time.Unix(1_000_000, 0)
	b.now = func() time.Time { return now }
	mustPut(t, b, "k", Entry{Value: []byte("new")})
	b.inFlight.Add(1)
	b.purge("k", now.Unix())
	b.inFlight.Done()
	mustPut(t, b, "sync", Entry{}) // the writer handled the purge before this
	if e, ok, _ := b.Get(ctx, "k"); !ok || string(e.Value) != "new" {
		t.Errorf("purge removed a live entry: %v %q", ok, e.Value)
	}
}

func TestBoltList(t *testing.T) {
	b := openTemp(t)
	var want []string
	for i := range 25 {
		k := fmt.Sprintf("p/%02d", i)
		want = append(want, k)
		mustPut(t, b, k, Entry{Value: []byte("v")})
	}
	mustPut(t, b, "o", Entry{})
	mustPut(t, b, "q", Entry{})
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("no end of pages")
		}
		keys, next, err := b.List(ctx, "p/", cursor, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			got = append(got, k.Name)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("pages gave %v", got)
	}
	// A page that ends exactly at the last key is complete.
	keys, next, _ := b.List(ctx, "p/", "", 25)
	if len(keys) != 25 || next != "" {
		t.Errorf("List(limit=25) = %d keys, next %q", len(keys), next)
	}
	if _, _, err := b.List(ctx, "p/", "!!", 10); !errors.Is(err, ErrInvalidCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	_, next, _ = b.List(ctx, "p/", "", 3)
	if _, _, err := b.List(ctx, "other/", next, 10); !errors.Is(err, ErrInvalidCursor) {
		t.Errorf("a cursor of another prefix: %v", err)
	}
	all, _, _ := b.List(ctx, "", "", 100)
	if len(all) != 27 || all[0].Name != "o" || all[26].Name != "q" {
		t.Errorf("List all: %d keys", len(all))
	}
}

// Concurrent puts all commit, sharing transactions, and a bad write fails
// alone.
func TestBoltConcurrentWrites(t *testing.T) {
	b := openTemp(t)
	stats := b.db.Stats()
	before := stats.TxStats.GetWrite()
	const writers, each = 20, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+1)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- b.Put(ctx, fmt.Sprintf("w%02d/%02d", w, i), Entry{Value: []byte{byte(w), byte(i)}})
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- b.Put(ctx, strings.Repeat("k", bolt.MaxKeySize+1), Entry{})
	}()
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d writes failed, want only the oversized key", failed)
	}
	keys, _, _ := b.List(ctx, "w", "", 1000)
	if len(keys) != writers*each {
		t.Errorf("%d keys stored, want %d", len(keys), writers*each)
	}
	for w := range writers {
		e, ok, _ := b.Get(ctx, fmt.Sprintf("w%02d/%02d", w, each-1))
		if !ok || !bytes.Equal(e.Value, []byte{byte(w), each - 1}) {
			t.Errorf("writer %d: %v %v", w, ok, e.Value)
		}
	}
	after := b.db.Stats()
	t.Logf("%d puts in %d write transactions", writers*each+1, after.TxStats.GetWrite()-before)
}

func TestBoltClose(t *testing.T) {
	b := openTemp(t)
	mustPut(t, b, "k", Entry{})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := b.Get(ctx, "k"); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: %v", err)
	}
	if err := b.Put(ctx, "k", Entry{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: %v", err)
	}
	if _, _, err := b.List(ctx, "", "", 1); !errors.Is(err, ErrClosed) {
		t.Errorf("List after Close: %v", err)
	}
}

// A namespace file is locked while open: a second opener fails fast.
func TestBoltLocked(t *testing.T) {
	b := openTemp(t)
	if other, err := OpenBolt(b.Path()); err == nil {
		other.Close()
		t.Fatal("opened a namespace twice")
	} else if !strings.Contains(err.Error(), "locked") {
		t.Errorf("error does not say why: %v", err)
	}
}

func TestBoltContext(t *testing.T) {
	b := openTemp(t)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := b.Get(cancelled, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: %v", err)
	}
}

func TestRecordEncoding(t *testing.T) {
	for _, e := range []Entry{
		{},
		{Value: []byte("v")},
		{Value: []byte("v"), Metadata: []byte(`{"x":[1]}`), Expiration: 1 << 40},
		{Metadata: bytes.Repeat([]byte("m"), 300)},
	} {
		r, err := decodeRecord(encodeRecord(e))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.value, e.Value) || !bytes.Equal(r.metadata, e.Metadata) || r.expiration != e.Expiration {
			t.Errorf("%+v came back as %+v", e, r)
		}
	}
	for _, bad := range [][]byte{nil, {2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 'a'}} {
		if _, err := decodeRecord(bad); err == nil {
			t.Errorf("decoded %v", bad)
		}
	}
}
