package timers

import (
	"testing"
	"time"

	"github.com/sockw/sockw/bindings/bindingstest"
	"github.com/sockw/sockw/bindings/events"
)

// TestPerformanceInheritsEventTarget: with package events installed,
// Performance inherits from EventTarget and performance is one, built on
// first use.
func TestPerformanceInheritsEventTarget(t *testing.T) {
	e := bindingstest.New(t)
	if err := events.Install(e.Host); err != nil {
		t.Fatal(err)
	}
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	err := e.Run("performance.js", `
if (Object.getPrototypeOf(Performance) !== EventTarget) throw new Error('Performance does not inherit from EventTarget');
if (Object.getPrototypeOf(Performance.prototype) !== EventTarget.prototype) throw new Error('wrong prototype chain');
let fired = false;
performance.addEventListener('x', () => { fired = true; });
performance.dispatchEvent(new Event('x'));
if (!fired) throw new Error('performance is not an EventTarget');
if (typeof performance.now() !== 'number') throw new Error('now');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}

// TestWithoutEvents: without package events, Performance inherits from
// nothing, and the attributes still follow WebIDL.
func TestWithoutEvents(t *testing.T) {
	e := bindingstest.New(t)
	if err := Install(e.Host); err != nil {
		t.Fatal(err)
	}
	err := e.Run("globals.js", `
'use strict';
if (Object.getPrototypeOf(Performance.prototype) !== Object.prototype) throw new Error('Performance.prototype inherits');
if (!(performance instanceof Performance) || !(navigator instanceof WorkerNavigator)) throw new Error('instances');
const d = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
if (d.set !== undefined || !d.enumerable || !d.configurable || d.get.name !== 'get navigator') throw new Error('navigator: ' + JSON.stringify(d));
let threw = false;
try { navigator = 1; } catch (e) { threw = e instanceof TypeError; }
if (!threw) throw new Error('navigator is readonly');
performance = 1;
const p = Object.getOwnPropertyDescriptor(globalThis, 'performance');
if (p.value !== 1 || !p.writable || !p.enumerable || !p.configurable) throw new Error('performance is [Replaceable]');
`, time.Second)
	if err != nil {
		t.Fatal(err)
	}
}
