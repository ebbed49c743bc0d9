// A TCP proxy: every inbound connection is piped to an outbound connect()
// and back, with half-close carried both ways.
//
//   sockw run scripts/proxy.js --listen tcp://127.0.0.1:8787 --var UPSTREAM=127.0.0.1:5432
//
// Between two sockets pipeTo runs inside the runtime (splice on Linux), so
// proxied bytes never enter JavaScript.
import { connect } from 'cloudflare:sockets';

export default {
  async connect(socket, env) {
    if (!env.UPSTREAM) throw new Error('set the upstream with --var UPSTREAM=host:port');
    const upstream = connect(env.UPSTREAM, { allowHalfOpen: true });
    await upstream.opened;
    // Each direction ends with a FIN on the other side (preventClose is off),
    // and the other direction keeps going until it ends too.
    await Promise.all([
      socket.readable.pipeTo(upstream.writable),
      upstream.readable.pipeTo(socket.writable),
    ]);
  },
};
