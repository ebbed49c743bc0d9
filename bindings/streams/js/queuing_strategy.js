// Queuing strategies: the QueuingStrategy dictionary, ExtractHighWaterMark,
// ExtractSizeAlgorithm, and the two built-in strategy classes.

// convertStrategy converts a QueuingStrategy dictionary, reading its members
// in WebIDL order (highWaterMark, then size).
function convertStrategy(v, what) {
  const d = toDictionary(v, what);
  const out = { highWaterMark: undefined, size: undefined };
  if (d === undefined) return out;
  const hwm = d.highWaterMark;
  if (hwm !== undefined) out.highWaterMark = +hwm;
  const size = d.size;
  if (size !== undefined) out.size = toCallback(size, `${what}.size`);
  return out;
}

function extractHighWaterMark(strategy, defaultHWM) {
  const hwm = strategy.highWaterMark;
  if (hwm === undefined) return defaultHWM;
  if (NumberIsNaN(hwm) || hwm < 0) throw new RE('Invalid highWaterMark');
  return hwm;
}

function sizeOne() { return 1; }

function extractSizeAlgorithm(strategy) {
  const size = strategy.size;
  if (size === undefined) return sizeOne;
  // A WebIDL callback returning unrestricted double, called with no this.
  return (chunk) => +ReflectApply(size, undefined, [chunk]);
}

function convertStrategyInit(init, what) {
  const d = toDictionary(init, `${what} init`);
  const hwm = d === undefined ? undefined : d.highWaterMark;
  if (hwm === undefined) {
    throw new TE(`Failed to construct '${what}': required member highWaterMark is undefined`);
  }
  return +hwm;
}

// The size functions are the same objects for every instance, with the
// name "size" and no [[Construct]], as the spec's built-in functions.
const byteLengthSize = ({ size(chunk) { return chunk.byteLength; } }).size;
const countSize = ({ size() { return 1; } }).size;

let blqsOf;
class ByteLengthQueuingStrategy {
  #hwm;
  constructor(init) {
    this.#hwm = convertStrategyInit(init, 'ByteLengthQueuingStrategy');
  }
  get highWaterMark() {
    if (!blqsOf(this)) throw brandError('ByteLengthQueuingStrategy');
    return this.#hwm;
  }
  get size() {
    if (!blqsOf(this)) throw brandError('ByteLengthQueuingStrategy');
    return byteLengthSize;
  }
  static {
    blqsOf = (o) => isObject(o) && #hwm in o;
  }
}
defineTag(ByteLengthQueuingStrategy, 'ByteLengthQueuingStrategy');

let cqsOf;
class CountQueuingStrategy {
  #hwm;
  constructor(init) {
    this.#hwm = convertStrategyInit(init, 'CountQueuingStrategy');
  }
  get highWaterMark() {
    if (!cqsOf(this)) throw brandError('CountQueuingStrategy');
    return this.#hwm;
  }
  get size() {
    if (!cqsOf(this)) throw brandError('CountQueuingStrategy');
    return countSize;
  }
  static {
    cqsOf = (o) => isObject(o) && #hwm in o;
  }
}
defineTag(CountQueuingStrategy, 'CountQueuingStrategy');
