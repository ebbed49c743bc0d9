// A module the hello worker imports, to show that TypeScript files and
// relative imports are bundled.
export interface Greeting {
  text: string;
  at: Date;
}

export function greet(name: string, now: Date = new Date()): Greeting {
  return { text: `Hello, ${name}!\n`, at: now };
}
