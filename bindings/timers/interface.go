package timers

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/events"
)

// singleton is an interface whose one instance is a global attribute
// (Performance and performance, WorkerNavigator and navigator), built on
// first use of either: the interface object is a lazy global (see
// events.DefineLazyGlobals) and the attribute's getter builds it too.
// Event loop only.
type singleton struct {
	rt          *goja.Runtime
	name        string
	build       func() (iface, instance *goja.Object, err error)
	instance    *goja.Object
	materialize func() error
}

// install defines the interface object global.
func (s *singleton) install() error {
	m, err := events.DefineLazyGlobals(s.rt, []string{s.name}, func() (map[string]goja.Value, error) {
		iface, instance, err := s.build()
		if err != nil {
			return nil, err
		}
		s.instance = instance
		return map[string]goja.Value{s.name: iface}, nil
	})
	s.materialize = m
	return err
}

// getInstance returns the instance, building s if needed.
func (s *singleton) getInstance() goja.Value {
	if err := s.materialize(); err != nil {
		panic(s.rt.NewTypeError(fmt.Sprintf("cannot initialize %s: %v", s.name, err)))
	}
	return s.instance
}

// newInterface returns a WebIDL interface object that cannot be constructed
// ("Illegal constructor") and its prototype, tagged with name. With a
// parent interface object, the interface inherits from it: parent is the
// interface object's [[Prototype]] and parent.prototype its prototype's.
func newInterface(rt *goja.Runtime, name string, parent *goja.Object) (ctor, proto *goja.Object, err error) {
	ctor = rt.ToValue(func(goja.ConstructorCall) *goja.Object {
		panic(rt.NewTypeError("Illegal constructor"))
	}).(*goja.Object)
	if err := setNameLength(rt, ctor, name, 0); err != nil {
		return nil, nil, err
	}
	if parent != nil {
		parentProto, ok := parent.Get("prototype").(*goja.Object)
		if !ok {
			return nil, nil, fmt.Errorf("%s: the parent interface has no prototype", name)
		}
		if err := ctor.SetPrototype(parent); err != nil {
			return nil, nil, err
		}
		proto = rt.CreateObject(parentProto)
	} else {
		proto = rt.NewObject()
	}
	if err := proto.DefineDataProperty("constructor", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	if err := ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, nil, err
	}
	return ctor, proto, nil
}

// defineGetter defines a WebIDL readonly attribute on proto: an enumerable,
// configurable accessor whose getter is named "get <name>".
func defineGetter(rt *goja.Runtime, proto *goja.Object, name string, get func(goja.FunctionCall) goja.Value) error {
	g := rt.ToValue(get).(*goja.Object)
	if err := setNameLength(rt, g, "get "+name, 0); err != nil {
		return err
	}
	return proto.DefineAccessorProperty(name, g, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
