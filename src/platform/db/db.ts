import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. Stores take this, so they work in both. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations, bulk DDL). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 (counts, sequences) as JS numbers on both engines; PGlite already does this.
pg.types.setTypeParser(20, (v) => Number(v));

/** At most this many distinct statements are prepared per connection; SQL built with varying text past it runs unnamed. */
const MAX_PREPARED = 2000;
const preparedNames = new Map<string, string>();

/**
 * A statement as node-postgres sends it: data statements are named, so each pooled connection parses and plans them
 * once and later runs only bind and execute (PostgreSQL keeps a generic plan when it is no worse than a custom
 * one). Parsing and planning are most of the server's work for the short statements of a request (bench/intake).
 */
function statement(sql: string, params: readonly unknown[]): pg.QueryConfig {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED && /^\s*(select|insert|update|delete|with)\b/i.test(sql)) {
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    preparedNames.set(sql, name);
  }
  return name === undefined ? { text: sql, values: params as unknown[] } : { name, text: sql, values: params as unknown[] };
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    const r = await this.pool.query(statement(sql, params));
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const q: Queryable = {
      query: async <R>(sql: string, params: readonly unknown[] = []) => {
        const r = await client.query(statement(sql, params));
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      },
      exec: async (sql: string) => {
        await client.query(sql);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await fn(q);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(private readonly pglite: PGlite) {}

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    const r = await this.pglite.query<T>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
  }

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  // PGlite has one connection; its transaction() holds the connection, so other queries wait until it ends.
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (t) =>
      fn({
        query: async <R>(sql: string, params: readonly unknown[] = []) => {
          const r = await t.query<R>(sql, params as unknown[]);
          return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
        },
        exec: async (sql: string) => {
          await t.exec(sql);
        },
      }),
    );
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

export interface OpenDbOptions {
  /** postgres://… for a server; undefined for embedded PGlite. */
  url?: string;
  /** PGlite data directory; undefined keeps PGlite in memory (tests). */
  pgliteDir?: string;
  poolSize?: number;
  /** Called with the error code when the server drops an idle pooled connection. */
  onIdleError?: (code: string) => void;
}

export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover, admin) must not crash the process: the pool
    // discards it and the next query opens a new one. Only the code is reported — the error object carries the
    // connection parameters, password included.
    pool.on('error', (err: Error & { code?: string }) => options.onIdleError?.(err.code ?? err.message));
    // Fail fast with a clear message rather than on the first request.
    const client = await pool.connect();
    client.release();
    return new PostgresDb(pool);
  }
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const pglite = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite();
  await pglite.waitReady;
  return new PgliteDb(pglite);
}

/** Wraps a PGlite instance that a test already holds (e.g. restored from a snapshot). */
export function wrapPglite(pglite: PGlite): Db {
  return new PgliteDb(pglite);
}
