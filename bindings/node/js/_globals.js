// The stand-ins for Node's globals, substituted for the free identifiers of
// bundled code that uses them.
export { default as process } from 'node:process';
export const global = globalThis;
