package runtime

import (
	"fmt"

	"github.com/dop251/goja"

	"go.uber.org/zap/zapcore"

	"github.com/sockw/sockw/bindings"
	"github.com/sockw/sockw/bindings/broadcast"
	"github.com/sockw/sockw/bindings/clone"
	"github.com/sockw/sockw/bindings/console"
	"github.com/sockw/sockw/bindings/crypto"
	"github.com/sockw/sockw/bindings/encoding"
	"github.com/sockw/sockw/bindings/events"
	"github.com/sockw/sockw/bindings/node"
	"github.com/sockw/sockw/bindings/quic"
	"github.com/sockw/sockw/bindings/sockets"
	"github.com/sockw/sockw/bindings/streams"
	"github.com/sockw/sockw/bindings/timers"
	"github.com/sockw/sockw/bindings/udp"
	"github.com/sockw/sockw/bindings/url"
	"github.com/sockw/sockw/runtime/bundle"
)

// builtinModules are the modules a script may import from the host rather
// than from files. cloudflare:sockets and sockw:sockets are the same module;
// sockw:sockets is where this project's extras go. The Node modules are
// JavaScript bundled with the script; their Go half is node.InternalModule.
func builtinModules() (bundle.BuiltinModules, error) {
	mods := bundle.BuiltinModules{
		"cloudflare:sockets": {},
		"sockw:sockets":      {},
		node.InternalModule:  {},
	}
	sources, err := node.Sources()
	if err != nil {
		return nil, err
	}
	for name, src := range sources {
		mods[name] = bundle.Module{Source: src, Globals: name == node.GlobalsModule}
	}
	return mods, nil
}

// build bundles a worker or exec script with the host's modules.
func build(entry string, mode bundle.Mode) (*bundle.Bundle, error) {
	mods, err := builtinModules()
	if err != nil {
		return nil, err
	}
	return bundle.Build(entry, mode, mods)
}

// builtinResolver is the function a bundle calls to import a module the
// host builds: `import { connect } from 'cloudflare:sockets'` and friends.
func (g *globals) builtinResolver(rt *goja.Runtime) goja.Value {
	return rt.ToValue(func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		switch name {
		case "cloudflare:sockets", "sockw:sockets":
			m := rt.NewObject()
			m.Set("connect", g.sockets.Connect())
			return m
		case node.InternalModule:
			m, err := g.node.Internal()
			if err != nil {
				panic(rt.NewGoError(err))
			}
			return m
		}
		panic(rt.NewTypeError("no built-in module %q", name))
	})
}

// globals holds what an isolate installs, in order: later bindings use the
// globals of earlier ones.
type globals struct {
	streams *streams.Streams
	sockets *sockets.Binding
	quic    *quic.Binding
	udp     *udp.Binding
	node    *node.Binding
}

// installGlobals installs every binding a worker sees. print receives
// console output.
// vars are the worker's variables, which Node's process.env shows.
func installGlobals(h *bindings.Host, print func(zapcore.Level, string), sock sockets.Options, hub *broadcast.Hub, vars map[string]string) (*globals, error) {
	if err := bindings.DefineAsyncIterator(h.Runtime); err != nil {
		return nil, fmt.Errorf("Symbol.asyncIterator: %w", err)
	}
	if err := bindings.DefineIntrinsics(h.Runtime); err != nil {
		return nil, fmt.Errorf("intrinsics: %w", err)
	}
	if err := console.Install(h, print); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	for _, b := range []struct {
		name    string
		install func(*bindings.Host) error
	}{
		{"events", events.Install},
		{"timers", timers.Install},
		{"clone", clone.Install},
	} {
		if err := b.install(h); err != nil {
			return nil, fmt.Errorf("%s: %w", b.name, err)
		}
	}
	g := &globals{}
	var err error
	if g.streams, err = streams.Install(h); err != nil {
		return nil, fmt.Errorf("streams: %w", err)
	}
	// UDP sockets may bind local ports only where loopback is reachable,
	// that is in local development.
	allowBind := sock.Policy != nil && sock.Policy.AllowLoopback
	if g.udp, err = udp.Install(h, g.streams, udp.Options{Policy: sock.Policy, AllowBind: allowBind}); err != nil {
		return nil, fmt.Errorf("udp: %w", err)
	}
	sock.SeedUDP = g.udp.NewSeedUDP
	// encoding's TextEncoderStream and TextDecoderStream build on the
	// streams installed above.
	for _, b := range []struct {
		name    string
		install func(*bindings.Host) error
	}{
		{"encoding", encoding.Install},
		{"crypto", crypto.Install},
		{"url", url.Install},
	} {
		if err := b.install(h); err != nil {
			return nil, fmt.Errorf("%s: %w", b.name, err)
		}
	}
	if g.sockets, err = sockets.Install(h, g.streams, sock); err != nil {
		return nil, fmt.Errorf("sockets: %w", err)
	}
	if g.quic, err = quic.Install(h, g.streams, quic.Options{Policy: sock.Policy, RootCAs: sock.RootCAs}); err != nil {
		return nil, fmt.Errorf("quic: %w", err)
	}
	if err := broadcast.Install(h, hub); err != nil {
		return nil, fmt.Errorf("broadcast: %w", err)
	}
	g.node = node.New(h, node.Options{Env: vars, Sockets: g.sockets})
	return g, nil
}
