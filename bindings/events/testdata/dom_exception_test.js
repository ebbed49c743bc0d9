// DOMException, per WebIDL §3.14 and the error names table.
import { test, assert, assertEquals, assertThrows, run } from '../../../testdata/harness.js';

test('defaults: empty message, name Error, code 0', () => {
  const e = new DOMException();
  assertEquals(e.message, '');
  assertEquals(e.name, 'Error');
  assertEquals(e.code, 0);
});

test('message and name are converted with ToString', () => {
  const e = new DOMException(42, { toString: () => 'NotFoundError' });
  assertEquals(e.message, '42');
  assertEquals(e.name, 'NotFoundError');
  assertEquals(e.code, 8);
  assertEquals(new DOMException(null, undefined).message, 'null');
  assertEquals(new DOMException(undefined, null).name, 'null');
  assertThrows(TypeError, () => new DOMException(Symbol('x')));
});

test('legacy codes from the names table', () => {
  const table = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
    InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
    InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20,
    URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24,
    DataCloneError: 25,
  };
  for (const [name, code] of Object.entries(table)) {
    assertEquals(new DOMException('', name).code, code, name);
  }
  for (const name of ['EncodingError', 'NotReadableError', 'UnknownError', 'ConstraintError', 'DataError',
    'OperationError', 'NotAllowedError', 'DOMStringSizeError', 'ValidationError', 'abortError', 'toString', '__proto__']) {
    assertEquals(new DOMException('', name).code, 0, name);
  }
});

test('constants on the constructor and the prototype', () => {
  const constants = {
    INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7, NOT_FOUND_ERR: 8,
    NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11, SYNTAX_ERR: 12,
    INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15, VALIDATION_ERR: 16,
    TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19, ABORT_ERR: 20, URL_MISMATCH_ERR: 21,
    QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23, INVALID_NODE_TYPE_ERR: 24, DATA_CLONE_ERR: 25,
  };
  for (const [name, value] of Object.entries(constants)) {
    for (const holder of [DOMException, DOMException.prototype]) {
      const d = Object.getOwnPropertyDescriptor(holder, name);
      assert(d, `${name} missing`);
      assertEquals(d.value, value, name);
      assertEquals(d.writable, false);
      assertEquals(d.enumerable, true);
      assertEquals(d.configurable, false);
    }
  }
  assertEquals(new DOMException().ABORT_ERR, 20);
});

test('is an Error: prototype chain, instanceof, toString, stack', () => {
  const e = new DOMException('went wrong', 'AbortError');
  assert(e instanceof DOMException);
  assert(e instanceof Error);
  assertEquals(Object.getPrototypeOf(DOMException.prototype), Error.prototype);
  assertEquals(String(e), 'AbortError: went wrong');
  assertEquals(Object.prototype.toString.call(e), '[object DOMException]');
  assertEquals(typeof e.stack, 'string');
  assert(e.stack.startsWith('AbortError: went wrong'), e.stack);
});

test('name, message and code are prototype accessors, not own properties', () => {
  const e = new DOMException('m', 'NotFoundError');
  for (const p of ['name', 'message', 'code']) {
    assert(!Object.prototype.hasOwnProperty.call(e, p), `own ${p}`);
    const d = Object.getOwnPropertyDescriptor(DOMException.prototype, p);
    assertEquals(typeof d.get, 'function', p);
    assertEquals(d.set, undefined, p);
    assertThrows(TypeError, () => d.get.call({}), undefined, p);
  }
  assertThrows(TypeError, () => { e.name = 'Other'; }); // module code is strict
});

test('getters refuse other objects (brand check)', () => {
  assertThrows(TypeError, () => DOMException.prototype.name);
  assertThrows(TypeError, () => Object.create(DOMException.prototype).message);
});

test('subclassing keeps the brand', () => {
  class MyError extends DOMException {
    constructor() { super('sub', 'SyntaxError'); }
  }
  const e = new MyError();
  assert(e instanceof DOMException);
  assertEquals(e.name, 'SyntaxError');
  assertEquals(e.code, 12);
});

test('constructor shape', () => {
  assertEquals(DOMException.length, 0);
  assertEquals(DOMException.name, 'DOMException');
  assertThrows(TypeError, () => DOMException('x'));
  const d = Object.getOwnPropertyDescriptor(globalThis, 'DOMException');
  assertEquals(d.enumerable, false);
  assertEquals(d.writable, true);
  assertEquals(d.configurable, true);
});

await run();
