// A DNS forwarder: queries that arrive on a UDP listener go to an upstream
// resolver over outbound UDP, and its answers go back to the asker. The
// bytes are relayed untouched; DNS ids match queries to answers.
//
//   sockw run scripts/dns-forwarder.js --listen udp://127.0.0.1:5353 --var UPSTREAM=127.0.0.1:53
export default {
  async connect(client, env) {
    const upstream = env.UPSTREAM || '1.1.1.1:53';
    const colon = upstream.lastIndexOf(':');
    const resolver = new UDPSocket({
      remoteAddress: upstream.slice(0, colon).replace(/^\[|\]$/g, ''),
      remotePort: Number(upstream.slice(colon + 1)),
    });
    const { readable, writable } = await resolver.opened;
    const toResolver = writable.getWriter();
    const toClient = client.writable.getWriter();
    const answers = (async () => {
      for await (const answer of readable) await toClient.write({ data: answer.data });
    })();
    // The client's flow ends after the listener's idle timeout.
    for await (const query of client.readable) await toResolver.write({ data: query.data });
    await resolver.close();
    await answers.catch(() => {});
  },
};
