// Async iteration of a ReadableStream (values(), [Symbol.asyncIterator]) as
// WebIDL defines asynchronous iterators, and ReadableStream.from().

// goja has no async generators and so no %AsyncIteratorPrototype%; this is
// an equivalent private one.
const AsyncIteratorPrototype = {};
defineProperty(AsyncIteratorPrototype, symAsyncIterator, {
  value: ({ [symAsyncIterator]() { return this; } })[symAsyncIterator],
  writable: true,
  configurable: true,
});

const endOfIteration = {};

class IterRec {
  constructor(reader, preventCancel) {
    this.reader = reader;
    this.preventCancel = preventCancel;
    this.ongoing = null;
    this.finished = false;
    this.nextSteps = () => iterNextSteps(this);
    this.onNext = (next) => {
      this.ongoing = null;
      if (next === endOfIteration) {
        this.finished = true;
        return { value: undefined, done: true };
      }
      return { value: next, done: false };
    };
    this.onNextFailed = (reason) => {
      this.ongoing = null;
      this.finished = true;
      throw reason;
    };
  }
}

class IterReadRequest {
  constructor(reader, res, rej) { this.reader = reader; this.res = res; this.rej = rej; }
  chunk(chunk) { this.res(chunk); }
  close() {
    readerRelease(this.reader);
    this.res(endOfIteration);
  }
  error(e) {
    readerRelease(this.reader);
    this.rej(e);
  }
}

function iterNextSteps(it) {
  if (it.finished) return resolvedWith({ value: undefined, done: true });
  const p = new P(capture);
  defaultReaderRead(it.reader, new IterReadRequest(it.reader, capRes, capRej));
  return thenCall(p, it.onNext, it.onNextFailed);
}

function iterReturn(it, arg) {
  const r = it.reader;
  if (!it.preventCancel) {
    const result = readerGenericCancel(r, arg);
    readerRelease(r);
    return result;
  }
  readerRelease(r);
  return resolvedWith(undefined);
}

let iterOf;
let newStreamAsyncIterator;

class ReadableStreamAsyncIterator {
  #i;

  constructor(rec) {
    this.#i = rec;
  }

  next() {
    const it = iterOf(this);
    if (it === undefined) return rejectedWith(brandError('ReadableStream async iterator'));
    const ongoing = it.ongoing;
    it.ongoing = ongoing !== null ? thenCall(ongoing, it.nextSteps, it.nextSteps) : iterNextSteps(it);
    return it.ongoing;
  }

  return(value) {
    const it = iterOf(this);
    if (it === undefined) return rejectedWith(brandError('ReadableStream async iterator'));
    const returnSteps = () => {
      if (it.finished) return resolvedWith({ value, done: true });
      it.finished = true;
      return iterReturn(it, value);
    };
    const ongoing = it.ongoing;
    it.ongoing = ongoing !== null ? thenCall(ongoing, returnSteps, returnSteps) : returnSteps();
    return thenCall(it.ongoing, () => ({ value, done: true }));
  }

  static {
    iterOf = (o) => (isObject(o) && #i in o ? o.#i : undefined);
    newStreamAsyncIterator = (reader, preventCancel) => new ReadableStreamAsyncIterator(new IterRec(reader, preventCancel));
  }
}
const ReadableStreamAsyncIteratorPrototype = ReadableStreamAsyncIterator.prototype;
delete ReadableStreamAsyncIteratorPrototype.constructor;
// WebIDL's asynchronous iterator prototype object: next and return are
// enumerable, as operations are; class methods are not.
defineProperty(ReadableStreamAsyncIteratorPrototype, 'next', { enumerable: true });
defineProperty(ReadableStreamAsyncIteratorPrototype, 'return', { enumerable: true });
setPrototypeOf(ReadableStreamAsyncIteratorPrototype, AsyncIteratorPrototype);
defineProperty(ReadableStreamAsyncIteratorPrototype, symToStringTag, {
  value: 'ReadableStream AsyncIterator', configurable: true,
});

// getIterator is GetIterator(obj, async): an iterator record whose iterator
// is obj's async iterator, or an async-from-sync wrapper of its sync one.
function getAsyncIterator(obj) {
  let method = obj == null ? undefined : obj[symAsyncIterator];
  if (method === undefined || method === null) {
    const syncMethod = obj == null ? undefined : obj[symIterator];
    if (syncMethod === undefined || syncMethod === null) {
      throw new TE('ReadableStream.from() requires an async iterable or an iterable');
    }
    return asyncFromSyncIterator(getIteratorFromMethod(obj, syncMethod));
  }
  return getIteratorFromMethod(obj, method);
}

function getIteratorFromMethod(obj, method) {
  if (typeof method !== 'function') throw new TE('The iterator method is not callable');
  const iterator = ReflectApply(method, obj, []);
  if (!isObject(iterator)) throw new TE('The iterator method returned a non-object');
  return { iterator, next: iterator.next };
}

function iteratorClose(iterator) {
  try {
    const ret = iterator.return;
    if (ret !== undefined && ret !== null) ReflectApply(ret, iterator, []);
  } catch (e) {
    // The original rejection wins over an error while closing.
  }
}

// asyncFromSyncIterator is CreateAsyncFromSyncIterator. The wrapper is only
// ever seen by readableStreamFromIterable, so it is a plain object.
function asyncFromSyncIterator(sync) {
  const syncIterator = sync.iterator;
  const continuation = (result, closeOnRejection) => {
    const done = !!result.done;
    const value = result.value;
    let wrapper;
    try {
      wrapper = promiseResolve(P, value);
    } catch (e) {
      if (!done && closeOnRejection) iteratorClose(syncIterator);
      return rejectedWith(e);
    }
    return thenCall(wrapper, (v) => ({ value: v, done }), (e) => {
      if (!done && closeOnRejection) iteratorClose(syncIterator);
      throw e;
    });
  };
  const iterator = {
    next(v) {
      let result;
      try {
        result = ReflectApply(sync.next, syncIterator, arguments.length > 0 ? [v] : []);
        if (!isObject(result)) throw new TE('The iterator result is not an object');
      } catch (e) {
        return rejectedWith(e);
      }
      return continuation(result, true);
    },
    return(v) {
      let result;
      try {
        const ret = syncIterator.return;
        if (ret === undefined || ret === null) return resolvedWith({ value: v, done: true });
        result = ReflectApply(ret, syncIterator, arguments.length > 0 ? [v] : []);
        if (!isObject(result)) throw new TE('The iterator return() result is not an object');
      } catch (e) {
        return rejectedWith(e);
      }
      return continuation(result, false);
    },
  };
  return { iterator, next: iterator.next };
}

function readableStreamFromIterable(asyncIterable) {
  let s;
  const rec = getAsyncIterator(asyncIterable);
  const pullAlgorithm = () => {
    let nextResult;
    try {
      nextResult = ReflectApply(rec.next, rec.iterator, []);
      if (!isObject(nextResult)) throw new TE('The iterator result is not an object');
    } catch (e) {
      return rejectedWith(e);
    }
    return thenCall(resolvedWith(nextResult), (iterResult) => {
      if (!isObject(iterResult)) throw new TE('The promise returned by the iterator.next() method must fulfill with an object');
      if (iterResult.done) {
        defaultControllerClose(s.controller);
      } else {
        defaultControllerEnqueue(s.controller, iterResult.value);
      }
    });
  };
  const cancelAlgorithm = (reason) => {
    const iterator = rec.iterator;
    let returnResult;
    try {
      const ret = iterator.return;
      if (ret === undefined || ret === null) return resolvedWith(undefined);
      if (typeof ret !== 'function') throw new TE('iterator.return is not a function');
      returnResult = ReflectApply(ret, iterator, [reason]);
    } catch (e) {
      return rejectedWith(e);
    }
    return thenCall(resolvedWith(returnResult), (iterResult) => {
      if (!isObject(iterResult)) throw new TE('The promise returned by the iterator.return() method must fulfill with an object');
    });
  };
  s = createReadableStream(returnUndefined, pullAlgorithm, cancelAlgorithm, 0);
  return s;
}
