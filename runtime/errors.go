package runtime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// ScriptError is an exception a worker's script threw, with the script's
// own stack (positions in the user's files, through the source map).
type ScriptError struct {
	Worker string
	// Message is the exception as JavaScript prints it ("TypeError: x").
	Message string
	// Stack holds the "at fn (file:line:col)" lines, if any.
	Stack string
	Err   error
}

func (e *ScriptError) Error() string {
	if e.Stack == "" {
		return e.Message
	}
	return e.Message + "\n" + e.Stack
}

func (e *ScriptError) Unwrap() error { return e.Err }

// scriptError describes err, which came out of running JavaScript.
func scriptError(worker string, err error) *ScriptError {
	se := &ScriptError{Worker: worker, Err: err}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		se.Message, se.Stack = describeValue(ex.Value())
		if se.Stack == "" {
			se.Stack = trimStack(ex.String(), se.Message)
		}
		return se
	}
	se.Message = err.Error()
	return se
}

// describeValue splits a thrown value into its message and stack lines.
func describeValue(v goja.Value) (msg, stack string) {
	if v == nil || goja.IsUndefined(v) {
		return "undefined", ""
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return fmt.Sprintf("Uncaught %s", v.String()), ""
	}
	msg = obj.String()
	if st := obj.Get("stack"); st != nil && !goja.IsUndefined(st) {
		stack = trimStack(st.String(), msg)
	}
	return msg, stack
}

// trimStack drops the leading message line that a stack repeats, and the
// frames of the host's wrapper, which mean nothing to the user.
func trimStack(stack, msg string) string {
	lines := strings.Split(strings.TrimRight(stack, "\n"), "\n")
	out := lines[:0]
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if i == 0 && !strings.HasPrefix(t, "at ") {
			continue
		}
		if t == "" || strings.HasPrefix(t, "at native") {
			continue
		}
		out = append(out, "    "+t)
	}
	return strings.Join(out, "\n")
}
