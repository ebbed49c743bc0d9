// postgres.js inside a worker: on each connection, run the steps against
// the PostgreSQL server env names and report what happened.
import postgres from 'postgres';
import { report } from './report.js';

export default {
  connect(socket, env) {
    return report(socket, async (say) => {
      const sql = postgres({
        host: env.PGHOST, port: Number(env.PGPORT), user: env.PGUSER, password: env.PGPASSWORD,
        database: env.PGDATABASE, max: 1, idle_timeout: 1,
      });
      try {
        const [row] = await sql`select ${41}::int + 1 as n, ${'sockw'}::text as who`;
        await say({ step: 'param', n: row.n, who: row.who });
        await sql`create temporary table accounts (id int primary key, owner text not null)`;
        await sql`insert into accounts ${sql([{ id: 1, owner: 'ada' }, { id: 2, owner: 'grace' }])}`;
        try {
          await sql.begin(async (tx) => {
            await tx`insert into accounts values (3, 'linus')`;
            const [{ c }] = await tx`select count(*)::int as c from accounts`;
            await say({ step: 'inside', count: c });
            throw new Error('roll it back');
          });
        } catch (err) {
          await say({ step: 'rollback', message: err.message });
        }
        const after = await sql`select owner from accounts order by id`;
        await say({ step: 'after', owners: after.map((r) => r.owner) });
        try {
          await sql`select * from no_such_table`;
          await say({ step: 'server-error', error: 'no error' });
        } catch (err) {
          await say({ step: 'server-error', isPostgresError: err instanceof postgres.PostgresError, code: err.code, message: err.message });
        }
      } finally {
        await sql.end({ timeout: 1 });
      }
    });
  },
};
