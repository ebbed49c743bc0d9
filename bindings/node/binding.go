package node

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/internal/webidl"
	"github.com/sockw/sockw/bindings/sockets"
)

// Options configure the Node modules of one isolate.
type Options struct {
	// Env becomes process.env: the worker's own variables, never the host's.
	Env map[string]string
	// Sockets is the binding node:net and node:tls connect through, so that
	// a driver's connections obey the same egress policy as connect().
	Sockets *sockets.Binding
}

// Binding is the Go side of the Node modules of one isolate. Event loop only.
type Binding struct {
	h        *bindings.Host
	rt       *goja.Runtime
	opts     Options
	internal *goja.Object
	bytes    *webidl.BufferSource
}

// New returns the binding for the isolate h belongs to. Nothing is built
// until a script imports a Node module.
func New(h *bindings.Host, opts Options) *Binding {
	return &Binding{h: h, rt: h.Runtime, opts: opts}
}

// Internal returns the exports of InternalModule, built on first use.
func (b *Binding) Internal() (goja.Value, error) {
	if b.internal != nil {
		return b.internal, nil
	}
	o := b.rt.NewObject()
	for _, part := range []struct {
		name    string
		install func(*goja.Object) error
	}{
		{"process", b.installProcess},
		{"timers", b.installTimers},
		{"net", b.installNet},
		{"crypto", b.installCrypto},
		{"buffer", b.installBuffer},
		{"util", b.installUtil},
	} {
		if err := part.install(o); err != nil {
			return nil, fmt.Errorf("node %s: %w", part.name, err)
		}
	}
	b.internal = o
	return o, nil
}

// installProcess provides what node:process cannot build in JavaScript.
func (b *Binding) installProcess(o *goja.Object) error {
	env := b.rt.NewObject()
	for k, v := range b.opts.Env {
		if err := env.Set(k, v); err != nil {
			return err
		}
	}
	return o.Set("env", env)
}
