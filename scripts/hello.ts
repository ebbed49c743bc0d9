// Greets the peer by address and closes: TypeScript with an import.
//
//   sockw run scripts/hello.ts --listen tcp://127.0.0.1:8787 --var NAME=world
import { greet } from './lib/greeting';

interface Env {
  NAME?: string;
}

export default {
  async connect(socket: Socket, env: Env): Promise<void> {
    const info = await socket.opened;
    const greeting = greet(env.NAME ?? info.remoteAddress);
    const writer = socket.writable.getWriter();
    await writer.write(new TextEncoder().encode(greeting.text));
    // Returning closes the connection after the write is flushed.
  },
};
