// Package broadcast installs HTML's BroadcastChannel
// (https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts)
// and MessageEvent, with messages carried between all the isolates of a
// worker by a Hub, so that a worker running on several shards can fan
// messages out across them.
//
// A message is serialized once, on the sender's loop (package clone's
// StructuredSerialize, so an uncloneable message throws DataCloneError
// from postMessage), handed to every isolate with a channel of that name
// open, and deserialized there, once per destination channel, in a task of
// the receiving isolate's loop.
package broadcast

import (
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
)

//go:embed *.js
var sources embed.FS

// sourceOrder lists the JavaScript files in the order they run.
var sourceOrder = []string{"prelude.js", "message_event.js", "broadcast_channel.js"}

// program is the compiled setup: a function of (global, host) that defines
// the classes and returns them with the internals Go calls.
var program = sync.OnceValues(func() (*goja.Program, error) {
	var b strings.Builder
	b.WriteString("(function (global, host) {\n'use strict';\n")
	for _, name := range sourceOrder {
		src, err := sources.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "// ---- %s\n", name)
		b.Write(src)
		b.WriteByte('\n')
	}
	b.WriteString("return { BroadcastChannel, MessageEvent, deliver, deliverError };\n})")
	return goja.Compile("sockw:broadcast", b.String(), true)
})

// Install defines BroadcastChannel and MessageEvent on h's global object,
// with hub carrying the isolate's messages to and from the other isolates
// of its worker (one Hub per worker, shared by all its isolates). They need
// package events (Event, EventTarget, DOMException) and package clone
// installed in the same isolate. The classes are built when a script first
// reads one of them; the isolate joins the hub when it opens its first
// channel and leaves it when h.Context ends. Loop goroutine only.
func Install(h *bindings.Host, hub *Hub) error {
	if hub == nil {
		return errors.New("broadcast: nil Hub")
	}
	if _, err := program(); err != nil {
		return fmt.Errorf("broadcast: compiling: %w", err)
	}
	s := &subscriber{hub: hub, h: h, loop: h.Loop, logger: h.Logger}
	if err := installLazily(h.Runtime, []string{"BroadcastChannel", "MessageEvent"}, s.build); err != nil {
		return fmt.Errorf("broadcast: %w", err)
	}
	return nil
}

// build runs the setup program in the isolate.
func (s *subscriber) build() (map[string]goja.Value, error) {
	rt := s.h.Runtime
	prg, err := program()
	if err != nil {
		return nil, err
	}
	v, err := rt.RunProgram(prg)
	if err != nil {
		return nil, err
	}
	setup, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("setup is %v, not a function", v)
	}
	res, err := setup(goja.Undefined(), rt.GlobalObject(), s.hostObject())
	if err != nil {
		return nil, err
	}
	in := res.ToObject(rt)
	if s.deliver, ok = goja.AssertFunction(in.Get("deliver")); !ok {
		return nil, errors.New("setup gave no deliver")
	}
	if s.deliverError, ok = goja.AssertFunction(in.Get("deliverError")); !ok {
		return nil, errors.New("setup gave no deliverError")
	}
	values := make(map[string]goja.Value, 2)
	for _, name := range []string{"BroadcastChannel", "MessageEvent"} {
		ctor, ok := in.Get(name).(*goja.Object)
		if !ok {
			return nil, fmt.Errorf("setup gave no %s", name)
		}
		proto, ok := ctor.Get("prototype").(*goja.Object)
		if !ok {
			return nil, fmt.Errorf("%s has no prototype", name)
		}
		if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
		values[name] = ctor
	}
	return values, nil
}

// hostObject gives the setup the natives of broadcast_channel.js. The
// setup keeps them in its closure; no script can reach them.
func (s *subscriber) hostObject() *goja.Object {
	rt := s.h.Runtime
	o := rt.NewObject()
	_ = o.Set("open", func(call goja.FunctionCall) goja.Value {
		obj, ok := call.Argument(0).(*goja.Object)
		if !ok {
			panic(rt.NewTypeError("broadcast: open: not a channel"))
		}
		return rt.ToValue(s.openChannel(obj, call.Argument(1).String()))
	})
	_ = o.Set("post", func(call goja.FunctionCall) goja.Value {
		s.post(int(call.Argument(0).ToInteger()), call.Argument(1).String(), call.Argument(2))
		return goja.Undefined()
	})
	_ = o.Set("close", func(call goja.FunctionCall) goja.Value {
		s.closeChannel(int(call.Argument(0).ToInteger()), call.Argument(1).String())
		return goja.Undefined()
	})
	return o
}
