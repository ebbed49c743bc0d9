package clone

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// cloner holds one isolate's captured built-ins, filled in by ready on
// first use. Event loop only.
type cloner struct {
	rt    *goja.Runtime
	state int // 0: not captured yet, 1: captured, 2: failed (err)
	err   error

	objectProto *goja.Object

	typedArrayName       goja.Callable
	typedArrayBuffer     goja.Callable
	typedArrayByteOffset goja.Callable
	typedArrayLength     goja.Callable
	typedArrayCtors      map[string]*goja.Object

	dataViewCtor       *goja.Object
	dataViewBuffer     goja.Callable
	dataViewByteOffset goja.Callable
	dataViewByteLength goja.Callable

	objectFn       goja.Callable
	booleanCtor    *goja.Object
	booleanValueOf goja.Callable
	numberCtor     *goja.Object
	numberValueOf  goja.Callable
	stringCtor     *goja.Object
	stringValueOf  goja.Callable
	bigintValueOf  goja.Callable
	dateCtor       *goja.Object
	dateGetTime    goja.Callable
	regExpCtor     *goja.Object
	regExpSource   goja.Callable
	regExpFlags    []regExpFlag
	mapCtor        *goja.Object
	mapForEach     goja.Callable
	mapSet         goja.Callable
	setCtor        *goja.Object
	setForEach     goja.Callable
	setAdd         goja.Callable
	errorCtors     map[string]*goja.Object
	ownDescriptor  goja.Callable // Object.getOwnPropertyDescriptor
	platformLister goja.Callable // see platformPrototypes

	// protoKinds marks the prototypes of the built-in objects with internal
	// slots that goja shows as ordinary objects.
	protoKinds map[*goja.Object]protoKind

	platformProtos map[*goja.Object]string // nil until first needed
	// globalsVersion tells when lazy globals were built since
	// platformProtos was listed (see events.LazyGlobalsVersion).
	globalsVersion func() uint64
	platformsAt    uint64
}

// protoKind describes objects that inherit from a prototype in protoKinds.
// If is is set, it is a built-in that throws for objects without the
// internal slot, which tells real instances from Object.create(proto).
type protoKind struct {
	name string
	is   goja.Callable
}

// has reports whether is(o) returns without throwing.
func (c *cloner) has(is goja.Callable, o *goja.Object) bool {
	_, err := is(o)
	if err != nil && uncatchable(err) {
		panic(err)
	}
	return err == nil
}

type regExpFlag struct {
	flag byte
	get  goja.Callable
}

// ready captures the built-ins if that has not been done yet.
func (c *cloner) ready() error {
	switch c.state {
	case 1:
		return nil
	case 2:
		return c.err
	}
	if err := c.capture(); err != nil {
		c.state, c.err = 2, fmt.Errorf("clone: capturing built-ins: %w", err)
		return c.err
	}
	c.state = 1
	return nil
}

func (c *cloner) capture() error {
	rt := c.rt
	prg, err := intrinsicsProgram()
	if err != nil {
		return err
	}
	v, err := rt.RunProgram(prg)
	if err != nil {
		return err
	}
	capture, ok := goja.AssertFunction(v)
	if !ok {
		return fmt.Errorf("intrinsics: got %v, not a function", v)
	}
	res, err := capture(goja.Undefined(), events.IntrinsicGetOwnPropertyDescriptor(rt))
	if err != nil {
		return err
	}
	in := res.ToObject(rt)
	g := &getter{rt: rt}
	*c = cloner{
		rt:                   rt,
		objectProto:          g.object(g.object(in, "Object"), "prototype"),
		typedArrayName:       g.fn(in, "typedArrayName"),
		typedArrayBuffer:     g.fn(in, "typedArrayBuffer"),
		typedArrayByteOffset: g.fn(in, "typedArrayByteOffset"),
		typedArrayLength:     g.fn(in, "typedArrayLength"),
		typedArrayCtors:      make(map[string]*goja.Object),
		dataViewCtor:         g.object(in, "DataView"),
		dataViewBuffer:       g.fn(in, "dataViewBuffer"),
		dataViewByteOffset:   g.fn(in, "dataViewByteOffset"),
		dataViewByteLength:   g.fn(in, "dataViewByteLength"),
		objectFn:             g.fn(in, "Object"),
		booleanCtor:          g.object(in, "Boolean"),
		booleanValueOf:       g.fn(in, "booleanValueOf"),
		numberCtor:           g.object(in, "Number"),
		numberValueOf:        g.fn(in, "numberValueOf"),
		stringCtor:           g.object(in, "String"),
		stringValueOf:        g.fn(in, "stringValueOf"),
		bigintValueOf:        g.fn(in, "bigintValueOf"),
		dateCtor:             g.object(in, "Date"),
		dateGetTime:          g.fn(in, "dateGetTime"),
		regExpCtor:           g.object(in, "RegExp"),
		regExpSource:         g.fn(in, "regExpSource"),
		mapCtor:              g.object(in, "Map"),
		mapForEach:           g.fn(in, "mapForEach"),
		mapSet:               g.fn(in, "mapSet"),
		setCtor:              g.object(in, "Set"),
		setForEach:           g.fn(in, "setForEach"),
		setAdd:               g.fn(in, "setAdd"),
		errorCtors:           make(map[string]*goja.Object),
		ownDescriptor:        g.fn(in, "getOwnPropertyDescriptor"),
		platformLister:       g.fn(in, "platformPrototypes"),
		globalsVersion:       events.LazyGlobalsVersion(rt),
	}
	c.protoKinds = map[*goja.Object]protoKind{}
	if kinds := g.object(in, "slotted"); kinds != nil {
		n := int(kinds.Get("length").ToInteger())
		for i := 0; i+2 < n; i += 3 {
			proto, _ := kinds.Get(strconv.Itoa(i + 1)).(*goja.Object)
			if proto == nil {
				continue
			}
			is, _ := goja.AssertFunction(kinds.Get(strconv.Itoa(i + 2)))
			c.protoKinds[proto] = protoKind{name: kinds.Get(strconv.Itoa(i)).String(), is: is}
		}
	}
	if tas := g.object(in, "typedArrays"); tas != nil {
		for _, name := range tas.Keys() {
			c.typedArrayCtors[name] = g.object(tas, name)
		}
	}
	if errs := g.object(in, "errors"); errs != nil {
		for _, name := range errs.Keys() {
			c.errorCtors[name] = g.object(errs, name)
		}
	}
	if flags := g.object(in, "regExpFlags"); flags != nil {
		n := int(flags.Get("length").ToInteger())
		for i := 0; i+1 < n; i += 2 {
			flag := flags.Get(strconv.Itoa(i)).String()
			c.regExpFlags = append(c.regExpFlags, regExpFlag{flag: flag[0], get: g.fn(flags, strconv.Itoa(i+1))})
		}
	}
	return g.err
}

// getter reads captured intrinsics, remembering the first one missing.
type getter struct {
	rt  *goja.Runtime
	err error
}

func (g *getter) object(o *goja.Object, name string) *goja.Object {
	if obj, ok := o.Get(name).(*goja.Object); ok {
		return obj
	}
	if g.err == nil {
		g.err = fmt.Errorf("%s is missing", name)
	}
	return nil
}

func (g *getter) fn(o *goja.Object, name string) goja.Callable {
	if f, ok := goja.AssertFunction(o.Get(name)); ok {
		return f
	}
	if g.err == nil {
		g.err = fmt.Errorf("%s is not a function", name)
	}
	return nil
}

// Go types that goja objects export as, which identify their kind without
// a call into JavaScript.
var (
	plainType       = reflect.TypeOf(map[string]interface{}(nil))
	mapType         = reflect.TypeOf([][2]interface{}(nil))
	setType         = reflect.TypeOf([]interface{}(nil))
	promiseType     = reflect.TypeOf((*goja.Promise)(nil))
	arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})
	proxyType       = reflect.TypeOf(goja.Proxy{})
	bigIntType      = reflect.TypeOf((*big.Int)(nil))
	typedArrayTypes = map[reflect.Type]bool{
		reflect.TypeOf([]int8(nil)):    true,
		reflect.TypeOf([]uint8(nil)):   true,
		reflect.TypeOf([]int16(nil)):   true,
		reflect.TypeOf([]uint16(nil)):  true,
		reflect.TypeOf([]int32(nil)):   true,
		reflect.TypeOf([]uint32(nil)):  true,
		reflect.TypeOf([]float32(nil)): true,
		reflect.TypeOf([]float64(nil)): true,
		reflect.TypeOf([]int64(nil)):   true,
		reflect.TypeOf([]uint64(nil)):  true,
	}
)

// platformPrototypes returns the prototypes of the web platform interfaces
// installed as globals (DOMException aside, none is serializable), keyed
// to their names. It is computed when first needed, after all bindings
// installed their globals, and again once more of the lazy globals were
// built (an interface not built yet has no instances to refuse).
func (c *cloner) platformPrototypes() map[*goja.Object]string {
	if c.platformProtos != nil && c.globalsVersion() == c.platformsAt {
		return c.platformProtos
	}
	c.platformsAt = c.globalsVersion()
	c.platformProtos = make(map[*goja.Object]string)
	res, err := c.platformLister(goja.Undefined(), c.rt.GlobalObject())
	if err != nil {
		return c.platformProtos
	}
	list := res.ToObject(c.rt)
	n := int(list.Get("length").ToInteger())
	for i := 0; i+1 < n; i += 2 {
		if p, ok := list.Get(strconv.Itoa(i + 1)).(*goja.Object); ok {
			c.platformProtos[p] = list.Get(strconv.Itoa(i)).String()
		}
	}
	return c.platformProtos
}
