// ErrorEvent (https://html.spec.whatwg.org/multipage/webappapis.html#errorevent),
// the event HTML's "report an exception" fires. Scripts construct it; sockw
// itself reports exceptions to the log (see report_error.go).

// toUnsignedLong is WebIDL's unsigned long conversion: ToNumber, NaN and
// the infinities to 0, truncation, then modulo 2^32.
function toUnsignedLong(v) {
  let x = +v;
  if (x !== x || x === Infinity || x === -Infinity) return 0;
  x -= x % 1;
  x %= 4294967296;
  if (x < 0) x += 4294967296;
  return x === 0 ? 0 : x;
}

// toUSVString is WebIDL's USVString conversion: ToString, with each lone
// surrogate replaced by U+FFFD.
function toUSVString(v) {
  const s = `${v}`;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xD800 || c > 0xDFFF) continue;
    if (c <= 0xDBFF && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xDC00 && d <= 0xDFFF) {
        i++;
        continue;
      }
    }
    out += s.slice(from, i) + '\uFFFD';
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

class ErrorEvent extends Event {
  #message = '';
  #filename = '';
  #lineno = 0;
  #colno = 0;
  #error = undefined;

  constructor(type, eventInitDict = undefined) {
    if (type === undefined) requireArgs(1, 0, "construct 'ErrorEvent'");
    // Event's constructor converts type and the EventInit members; the
    // ErrorEventInit members follow, in lexicographic order.
    super(type, eventInitDict);
    if (eventInitDict === undefined || eventInitDict === null) return;
    const colno = eventInitDict.colno;
    if (colno !== undefined) this.#colno = toUnsignedLong(colno);
    this.#error = eventInitDict.error;
    const filename = eventInitDict.filename;
    if (filename !== undefined) this.#filename = toUSVString(filename);
    const lineno = eventInitDict.lineno;
    if (lineno !== undefined) this.#lineno = toUnsignedLong(lineno);
    const message = eventInitDict.message;
    if (message !== undefined) this.#message = `${message}`;
  }

  get message() {
    if (!(#message in this)) throw illegalInvocation();
    return this.#message;
  }

  get filename() {
    if (!(#message in this)) throw illegalInvocation();
    return this.#filename;
  }

  get lineno() {
    if (!(#message in this)) throw illegalInvocation();
    return this.#lineno;
  }

  get colno() {
    if (!(#message in this)) throw illegalInvocation();
    return this.#colno;
  }

  get error() {
    if (!(#message in this)) throw illegalInvocation();
    return this.#error;
  }
}
setToStringTag(ErrorEvent, 'ErrorEvent');
defineGlobal('ErrorEvent', ErrorEvent);
