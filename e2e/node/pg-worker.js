// node-postgres (pg) inside a worker, through node:net: on each connection,
// run the steps against the PostgreSQL server env names and report.
import pg from 'pg';
import { report } from './report.js';

export default {
  connect(socket, env) {
    return report(socket, async (say) => {
      const client = new pg.Client({
        host: env.PGHOST, port: Number(env.PGPORT), user: env.PGUSER, password: env.PGPASSWORD,
        database: env.PGDATABASE,
      });
      await client.connect();
      try {
        const res = await client.query('select $1::int + 1 as n, $2::text as who', [41, 'sockw']);
        await say({ step: 'param', n: res.rows[0].n, who: res.rows[0].who });
        await client.query('create temporary table accounts (id int primary key, owner text not null)');
        await client.query('insert into accounts values ($1, $2), ($3, $4)', [1, 'ada', 2, 'grace']);
        await client.query('begin');
        await client.query('insert into accounts values ($1, $2)', [3, 'linus']);
        const inside = await client.query('select count(*)::int as c from accounts');
        await say({ step: 'inside', count: inside.rows[0].c });
        await client.query('rollback');
        await say({ step: 'rollback', message: 'rolled back' });
        const after = await client.query('select owner from accounts order by id');
        await say({ step: 'after', owners: after.rows.map((r) => r.owner) });
        try {
          await client.query('select * from no_such_table');
          await say({ step: 'server-error', error: 'no error' });
        } catch (err) {
          await say({ step: 'server-error', isDatabaseError: err instanceof pg.DatabaseError, code: err.code, message: err.message });
        }
      } finally {
        await client.end();
      }
    });
  },
};
