// Package console installs the console global. Output goes to a Printer:
// the worker's structured log on a server, standard output under `sockw exec`.
package console

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/sockw/sockw/bindings"
)

// Printer receives each console line with its level. It is called on the
// loop goroutine and must not block for long.
type Printer func(level zapcore.Level, line string)

// LogPrinter writes console lines to logger, tagged so an operator can tell a
// script's output from the runtime's own lines. console.error never carries
// a Go stack trace.
func LogPrinter(logger *zap.Logger) Printer {
	logger = logger.WithOptions(zap.AddStacktrace(zapcore.FatalLevel + 1))
	return func(level zapcore.Level, line string) {
		if ce := logger.Check(level, line); ce != nil {
			ce.Write(zap.String("source", "console"))
		}
	}
}

type console struct {
	rt     *goja.Runtime
	print  Printer
	counts map[string]int
	timers map[string]time.Time
	indent string
}

// Install defines console with log, info, debug, warn, error, trace, assert,
// dir, count, countReset, time, timeLog, timeEnd, group, groupCollapsed and
// groupEnd, formatting arguments as Node's util.format does.
func Install(h *bindings.Host, print Printer) error {
	c := &console{rt: h.Runtime, print: print, counts: map[string]int{}, timers: map[string]time.Time{}}
	obj := h.Runtime.NewObject()
	methods := []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"log", c.level(zapcore.InfoLevel)},
		{"info", c.level(zapcore.InfoLevel)},
		{"debug", c.level(zapcore.DebugLevel)},
		{"warn", c.level(zapcore.WarnLevel)},
		{"error", c.level(zapcore.ErrorLevel)},
		{"trace", c.trace},
		{"assert", c.assert},
		{"dir", c.level(zapcore.InfoLevel)},
		{"count", c.count},
		{"countReset", c.countReset},
		{"time", c.time},
		{"timeLog", c.timeLog},
		{"timeEnd", c.timeEnd},
		{"group", c.group},
		{"groupCollapsed", c.group},
		{"groupEnd", c.groupEnd},
	}
	for _, m := range methods {
		if err := obj.DefineDataProperty(m.name, h.Runtime.ToValue(m.fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("console.%s: %w", m.name, err)
		}
	}
	// A WebIDL namespace: writable, configurable, not enumerable.
	return h.Runtime.GlobalObject().DefineDataProperty("console", obj, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

func (c *console) emit(level zapcore.Level, line string) {
	if c.indent != "" {
		line = c.indent + strings.ReplaceAll(line, "\n", "\n"+c.indent)
	}
	c.print(level, line)
}

func (c *console) level(level zapcore.Level) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		c.emit(level, Format(c.rt, call.Arguments))
		return goja.Undefined()
	}
}

func (c *console) trace(call goja.FunctionCall) goja.Value {
	msg := "Trace"
	if len(call.Arguments) > 0 {
		msg += ": " + Format(c.rt, call.Arguments)
	}
	var b bytes.Buffer
	b.WriteString(msg)
	for _, f := range c.rt.CaptureCallStack(10, nil)[1:] {
		b.WriteString("\n    at ")
		f.Write(&b)
	}
	c.emit(zapcore.DebugLevel, b.String())
	return goja.Undefined()
}

func (c *console) assert(call goja.FunctionCall) goja.Value {
	if call.Argument(0).ToBoolean() {
		return goja.Undefined()
	}
	msg := "Assertion failed"
	if len(call.Arguments) > 1 {
		msg += ": " + Format(c.rt, call.Arguments[1:])
	}
	c.emit(zapcore.ErrorLevel, msg)
	return goja.Undefined()
}

func label(call goja.FunctionCall) string {
	if v := call.Argument(0); !goja.IsUndefined(v) {
		return v.String()
	}
	return "default"
}

func (c *console) count(call goja.FunctionCall) goja.Value {
	l := label(call)
	c.counts[l]++
	c.emit(zapcore.InfoLevel, fmt.Sprintf("%s: %d", l, c.counts[l]))
	return goja.Undefined()
}

func (c *console) countReset(call goja.FunctionCall) goja.Value {
	delete(c.counts, label(call))
	return goja.Undefined()
}

func (c *console) time(call goja.FunctionCall) goja.Value {
	c.timers[label(call)] = time.Now()
	return goja.Undefined()
}

func (c *console) elapsed(call goja.FunctionCall, end bool) goja.Value {
	l := label(call)
	start, ok := c.timers[l]
	if !ok {
		c.emit(zapcore.WarnLevel, fmt.Sprintf("No such label '%s' for console.%s()", l, map[bool]string{true: "timeEnd", false: "timeLog"}[end]))
		return goja.Undefined()
	}
	if end {
		delete(c.timers, l)
	}
	line := fmt.Sprintf("%s: %.3fms", l, float64(time.Since(start).Microseconds())/1000)
	if !end && len(call.Arguments) > 1 {
		line += " " + Format(c.rt, call.Arguments[1:])
	}
	c.emit(zapcore.InfoLevel, line)
	return goja.Undefined()
}

func (c *console) timeLog(call goja.FunctionCall) goja.Value { return c.elapsed(call, false) }
func (c *console) timeEnd(call goja.FunctionCall) goja.Value { return c.elapsed(call, true) }

func (c *console) group(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) > 0 {
		c.emit(zapcore.InfoLevel, Format(c.rt, call.Arguments))
	}
	c.indent += "  "
	return goja.Undefined()
}

func (c *console) groupEnd(goja.FunctionCall) goja.Value {
	if len(c.indent) >= 2 {
		c.indent = c.indent[2:]
	}
	return goja.Undefined()
}
