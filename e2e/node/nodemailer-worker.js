// nodemailer inside a worker, sending through the SMTP server env names
// with STARTTLS required, trusting the CA env holds.
import nodemailer from 'nodemailer';
import { report } from './report.js';

export default {
  connect(socket, env) {
    return report(socket, async (say) => {
      const transport = nodemailer.createTransport({
        host: env.SMTP_HOST, port: Number(env.SMTP_PORT), secure: false, requireTLS: true,
        tls: { ca: env.SMTP_CA, servername: 'localhost' },
        auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS } : undefined,
      });
      await transport.verify();
      await say({ step: 'verified' });
      const info = await transport.sendMail({
        from: 'worker@example.org',
        to: 'inbox@example.com',
        subject: 'nodemailer in a worker',
        text: 'sent by nodemailer from inside sockw\n.a line starting with a dot\n',
      });
      await say({ step: 'sent', accepted: info.accepted, response: info.response });
      transport.close();
    });
  },
};
