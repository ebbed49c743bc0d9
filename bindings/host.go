// Package bindings holds everything a worker script can touch. Each
// subpackage installs one web or runtime API into an isolate; this package
// defines what they are given to do it.
//
// Bindings know nothing of listeners: a socket reaches them as a net.Conn or
// through the small Source/Sink interfaces of package streams.
package bindings

import (
	"context"

	"github.com/dop251/goja"
	"go.uber.org/zap"

	"github.com/sockw/sockw/runtime/eventloop"
)

// Host is what an isolate hands to each binding it installs.
//
// Runtime may be used only on the loop goroutine, that is inside Install or
// inside a task the Loop runs. Context ends when the isolate is discarded;
// bindings tie their Go resources (connections, goroutines) to it so that
// nothing outlives the isolate.
type Host struct {
	Runtime *goja.Runtime
	Loop    *eventloop.Loop
	Logger  *zap.Logger
	Context context.Context
}
