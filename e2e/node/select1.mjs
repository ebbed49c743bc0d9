// SELECT 1 round trips through postgres.js, one connection, queries in
// sequence. The same file runs under Node (`node select1.mjs`) and sockw
// (`sockw exec select1.mjs`); settings come from the environment.
import postgres from 'postgres';

const env = process.env;
const n = Number(env.QUERIES || 1000);
const sql = postgres({
  host: env.PGHOST, port: Number(env.PGPORT), user: env.PGUSER, password: env.PGPASSWORD,
  database: env.PGDATABASE, max: 1,
});
await sql`select 1 as x`; // connect and authenticate outside the timing
const start = performance.now();
for (let i = 0; i < n; i++) {
  const [row] = await sql`select 1 as x`;
  if (row.x !== 1) throw new Error('unexpected row ' + JSON.stringify(row));
}
const ms = performance.now() - start;
console.log(JSON.stringify({ queries: n, ms, perSecond: (n * 1000) / ms }));
await sql.end();
