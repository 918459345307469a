import { expect, it } from 'vitest';
import { adminQuery, describePg, dropDatabase, freshDatabase } from '../helpers/postgres.js';

describePg('the PostgreSQL test server', () => {
  it('gives each test a fresh UTF8 database and drops it', async () => {
    const url = await freshDatabase();
    const name = new URL(url).pathname.slice(1);
    const enc = await adminQuery(
      `SELECT pg_encoding_to_char(encoding) AS e FROM pg_database WHERE datname = '${name}'`,
    );
    expect(enc.rows[0].e).toBe('UTF8');
    await dropDatabase(url);
    const gone = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
    expect(gone.rowCount).toBe(0);
  });
});
