// MQTT.js inside a worker, as a TCP client of the broker env names: QoS 1
// subscribe, QoS 1 publish, and the message coming back.
import mqtt from 'mqtt';
import { report } from './report.js';

export default {
  connect(socket, env) {
    return report(socket, async (say) => {
      const client = await mqtt.connectAsync({
        host: env.MQTT_HOST, port: Number(env.MQTT_PORT), protocol: 'mqtt',
        clientId: 'sockw-worker-' + crypto.randomUUID().slice(0, 8), reconnectPeriod: 0,
      });
      try {
        await say({ step: 'connected', connected: client.connected });
        const granted = await client.subscribeAsync('sockw/npm/+', { qos: 1 });
        await say({ step: 'subscribed', granted: granted.map((g) => [g.topic, g.qos]) });
        const received = new Promise((resolve) => {
          client.once('message', (topic, payload, packet) => resolve({ topic, payload: payload.toString('utf8'), qos: packet.qos }));
        });
        const puback = await client.publishAsync('sockw/npm/hello', 'hello from MQTT.js', { qos: 1 });
        await say({ step: 'published', acked: puback !== undefined, messageId: puback && puback.messageId });
        await say({ step: 'message', ...(await received) });
      } finally {
        await client.endAsync();
      }
    });
  },
};
