package clone

import "math/big"

// Serialized is a JavaScript value in HTML's serialized form
// (StructuredSerialize): a tree of Go values that belongs to no runtime. It
// is immutable once Serialize returns it, so it may be handed to other
// goroutines and deserialized any number of times, in any runtime where
// Install ran, each time into fresh objects. The zero value is not a valid
// serialization; Deserialize refuses it.
type Serialized struct {
	root    record
	objects int // how many object records the tree holds (ids 0..objects-1)
	size    int
}

// Size returns an estimate of the memory the serialization holds, in bytes,
// for callers that bound queues of messages.
func (s Serialized) Size() int { return s.size }

// record is one node of a serialized value. Object records carry the id
// their object gets in the deserialization memory, so that a refRecord
// (a second reference to the same object, or a cycle) can find it.
type record interface{ isRecord() }

type (
	undefinedRecord struct{}
	nullRecord      struct{}
	boolRecord      bool
	numberRecord    float64
	bigintRecord    struct{ v *big.Int } // never mutated
	stringRecord    struct {
		s string   // the string, if it is valid UTF-16
		u []uint16 // otherwise its code units (lone surrogates)
	}
	refRecord int

	// wrapperRecord is a Boolean, Number, String or BigInt object.
	wrapperRecord struct {
		id   int
		prim record
	}
	dateRecord struct {
		id int
		t  float64
	}
	regExpRecord struct {
		id     int
		source stringRecord
		flags  string
	}
	arrayBufferRecord struct {
		id   int
		data []byte
	}
	// viewRecord is a typed array or a DataView (ctor "DataView").
	viewRecord struct {
		id             int
		ctor           string
		buffer         record // an arrayBufferRecord or a refRecord to one
		offset, length int64
	}
	mapRecord struct {
		id      int
		entries []record // key, value, key, value ...
	}
	setRecord struct {
		id    int
		items []record
	}
	errorRecord struct {
		id           int
		name         string
		message      *stringRecord
		stack        *stringRecord
		domException bool
	}
	arrayRecord struct {
		id     int
		length int64
		props  []property
	}
	objectRecord struct {
		id    int
		props []property
	}
)

type property struct {
	key   string
	value record
}

func (undefinedRecord) isRecord()   {}
func (nullRecord) isRecord()        {}
func (boolRecord) isRecord()        {}
func (numberRecord) isRecord()      {}
func (bigintRecord) isRecord()      {}
func (stringRecord) isRecord()      {}
func (refRecord) isRecord()         {}
func (wrapperRecord) isRecord()     {}
func (dateRecord) isRecord()        {}
func (regExpRecord) isRecord()      {}
func (arrayBufferRecord) isRecord() {}
func (viewRecord) isRecord()        {}
func (mapRecord) isRecord()         {}
func (setRecord) isRecord()         {}
func (errorRecord) isRecord()       {}
func (arrayRecord) isRecord()       {}
func (objectRecord) isRecord()      {}
