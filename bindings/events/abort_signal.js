// AbortSignal (https://dom.spec.whatwg.org/#interface-AbortSignal), with
// the current spec's dependent signals for AbortSignal.any().
//
// goja has no weak references, so a source signal holds its dependents
// strongly. To bound that, a signal forgets its dependents once it aborts,
// and a dependent that aborts leaves its sources' lists; a long-lived signal
// that never aborts still keeps the unaborted dependents made from it.

const constructKey = {};
let isAbortSignal;
let signalState; // (signal) -> [aborted, reason]
let signalAbort; // (signal, reason); the DOM's "signal abort"
let addAlgorithm; // (signal, fn(reason)) -> remove function
let createSignal; // () -> new AbortSignal

// enforceRangeULL converts to an [EnforceRange] unsigned long long.
function enforceRangeULL(value, what) {
  let x = +value;
  if (x !== x || x === Infinity || x === -Infinity) throw new TypeError(`Failed to execute ${what}: Value is not a finite number.`);
  x -= x % 1; // truncate
  if (x < 0 || x > 9007199254740991) {
    throw new TypeError(`Failed to execute ${what}: Value is outside the 'unsigned long long' value range.`);
  }
  return x === 0 ? 0 : x;
}

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #algorithms = null; // array of { fn } records, in the order added
  #dependent = false;
  #sources = null; // signals this one follows, for a dependent signal
  #dependents = null; // dependent signals that follow this one

  constructor(key = undefined) {
    if (key !== constructKey) throw new TypeError('Illegal constructor');
    super();
  }

  static abort(reason = undefined) {
    const signal = new AbortSignal(constructKey);
    signal.#aborted = true;
    signal.#reason = reason !== undefined ? reason : new DOMException('signal is aborted without reason', 'AbortError');
    return signal;
  }

  static timeout(milliseconds) {
    if (arguments.length < 1) requireArgs(1, 0, "execute 'timeout' on 'AbortSignal'");
    const ms = enforceRangeULL(milliseconds, "'timeout' on 'AbortSignal'");
    const signal = new AbortSignal(constructKey);
    host.startTimeout(ms, () => {
      signalAbort(signal, new DOMException('signal timed out', 'TimeoutError'));
    });
    return signal;
  }

  static any(signals) {
    if (arguments.length < 1) requireArgs(1, 0, "execute 'any' on 'AbortSignal'");
    if (typeof signals !== 'object' || signals === null) {
      throw new TypeError("Failed to execute 'any' on 'AbortSignal': The provided value cannot be converted to a sequence.");
    }
    const list = [];
    for (const s of signals) {
      if (!isAbortSignal(s)) {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': Failed to convert value to 'AbortSignal'.");
      }
      list[list.length] = s;
    }
    // Create a dependent abort signal.
    const result = new AbortSignal(constructKey);
    for (let i = 0; i < list.length; i++) {
      if (list[i].#aborted) {
        result.#aborted = true;
        result.#reason = list[i].#reason;
        return result;
      }
    }
    result.#dependent = true;
    const sources = [];
    const follow = (source) => {
      if (indexOf(sources, source) >= 0) return;
      sources[sources.length] = source;
      (source.#dependents ??= [])[source.#dependents.length] = result;
    };
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (!s.#dependent) {
        follow(s);
      } else if (s.#sources !== null) {
        for (let j = 0; j < s.#sources.length; j++) follow(s.#sources[j]);
      }
    }
    result.#sources = sources;
    return result;
  }

  get aborted() {
    if (!(#aborted in this)) throw illegalInvocation();
    return this.#aborted;
  }

  get reason() {
    if (!(#aborted in this)) throw illegalInvocation();
    return this.#reason;
  }

  throwIfAborted() {
    if (!(#aborted in this)) throw illegalInvocation();
    if (this.#aborted) throw this.#reason;
  }

  // runAbortSteps is the DOM's "run the abort steps".
  #runAbortSteps() {
    const algorithms = this.#algorithms;
    this.#algorithms = null;
    if (algorithms !== null) {
      for (let i = 0; i < algorithms.length; i++) {
        const a = algorithms[i];
        if (a.fn === null) continue; // removed while an earlier one ran
        try {
          a.fn(this.#reason);
        } catch (e) {
          report(e);
        }
      }
    }
    fire(this, 'abort');
  }

  // leaveSources drops this dependent signal from its sources' lists.
  #leaveSources() {
    const sources = this.#sources;
    this.#sources = null;
    if (sources === null) return;
    for (let i = 0; i < sources.length; i++) {
      const deps = sources[i].#dependents;
      if (deps === null) continue;
      const j = indexOf(deps, this);
      if (j >= 0) removeAt(deps, j);
    }
  }

  static {
    isAbortSignal = (v) => typeof v === 'object' && v !== null && #aborted in v;

    signalState = (signal) => [signal.#aborted, signal.#reason];

    createSignal = () => new AbortSignal(constructKey);

    signalAbort = (signal, reason) => {
      if (signal.#aborted) return;
      signal.#aborted = true;
      signal.#reason = reason !== undefined ? reason : new DOMException('signal is aborted without reason', 'AbortError');
      signal.#leaveSources();
      const dependents = signal.#dependents;
      signal.#dependents = null;
      const toAbort = [];
      if (dependents !== null) {
        for (let i = 0; i < dependents.length; i++) {
          const d = dependents[i];
          if (d.#aborted) continue;
          d.#aborted = true;
          d.#reason = signal.#reason;
          d.#leaveSources();
          toAbort[toAbort.length] = d;
        }
      }
      signal.#runAbortSteps();
      for (let i = 0; i < toAbort.length; i++) toAbort[i].#runAbortSteps();
    };

    addAlgorithm = (signal, fn) => {
      if (signal.#aborted) return () => {};
      const record = { fn };
      (signal.#algorithms ??= [])[signal.#algorithms.length] = record;
      return () => {
        if (record.fn === null) return;
        record.fn = null;
        const list = signal.#algorithms;
        if (list === null) return;
        const i = indexOf(list, record);
        if (i >= 0) removeAt(list, i);
      };
    };
  }
}
defineEventHandler(AbortSignal, 'abort', isAbortSignal);
setToStringTag(AbortSignal, 'AbortSignal');
defineGlobal('AbortSignal', AbortSignal);

internals.isAbortSignal = isAbortSignal;
internals.signalState = signalState;
internals.addAlgorithm = addAlgorithm;
internals.newSignal = () => {
  const signal = createSignal();
  return [signal, (reason) => signalAbort(signal, reason)];
};
