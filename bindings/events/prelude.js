// Helpers shared by the files that follow; events.go wraps all of them in
// one function scope, so they see each other's declarations.

function illegalInvocation() {
  return new TypeError('Illegal invocation');
}

// setToStringTag asks for ctor.prototype[Symbol.toStringTag] = tag. Go
// defines the tags after the setup (see isolate.go): touching Symbol here
// would make goja build it, which costs more than all the tags.
internals.tags = [];
function setToStringTag(ctor, tag) {
  internals.tags.push(ctor, tag);
}

// defineGlobal hands an interface object to Go, which defines it as a
// global in place of its placeholder (see DefineLazyGlobals).
internals.globals = { __proto__: null };
function defineGlobal(name, value) {
  internals.globals[name] = value;
}

function requireArgs(n, have, what) {
  if (have < n) {
    throw new TypeError(`Failed to ${what}: ${n} argument${n > 1 ? 's' : ''} required, but only ${have} present.`);
  }
}

// Built-ins the internals use, captured when the setup runs (on first use,
// see isolate.go), so that a script replacing them later cannot change how
// events or signals behave.
// call(fn, thisArg, ...args) is Function.prototype.call, uncurried. (Not
// Reflect.apply: making goja build Reflect would cost more than the set-up
// of this whole file, and an argument array per call costs more too.)
const defineProperty = Object.defineProperty;
const call = Function.prototype.call.bind(Function.prototype.call);
const report = host.report;

function indexOf(list, v) {
  for (let i = 0; i < list.length; i++) if (list[i] === v) return i;
  return -1;
}

function removeAt(list, i) {
  for (; i < list.length - 1; i++) list[i] = list[i + 1];
  list.length--;
}
