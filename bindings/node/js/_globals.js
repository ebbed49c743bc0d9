// The stand-ins for Node's globals, substituted for the free identifiers of
// bundled code that uses them. Node's timers return Timeout objects with
// unref(), which drivers call; they replace the web timers in bundled code.
export { Buffer } from 'node:buffer';
export { default as process } from 'node:process';
export { setImmediate, clearImmediate, setTimeout, clearTimeout, setInterval, clearInterval } from 'node:timers';
export const global = globalThis;
