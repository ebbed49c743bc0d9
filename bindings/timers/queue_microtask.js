// The `then` of the thenables queueMicrotask resolves a promise with (see
// queue_microtask.go). The job that calls it passes the thenable as this;
// the callback runs here, in JavaScript, so that microtasks it queues go to
// the back of the queue, and with this undefined, as HTML says.
(function (report) {
  'use strict';
  return function then() {
    const callback = this.callback;
    try {
      callback();
    } catch (e) {
      report(e);
    }
  };
})
