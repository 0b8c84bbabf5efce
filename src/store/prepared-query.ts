import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { DbOrTrx } from './database-types.ts';

/**
 * Queries on the per-event hot path, compiled once and then run with new parameters.
 *
 * Kysely builds an immutable (frozen) operation tree and compiles it to SQL on every call,
 * which for a one-row lookup costs more than SQLite takes to run it. Kysely has no cache of
 * compiled queries and no way to bind new values to a compiled one, so this helper does the
 * binding itself: the query is built once per dialect (and per `size`, for statements whose
 * shape depends on a row count) with marker values in place of the arguments; each
 * parameter of the compiled query is then either a marker (replaced by its argument) or a
 * constant of the query (kept). The SQL text is Kysely's own, so both dialects keep one
 * query definition, and the query runs on the caller's executor (transaction or not).
 */

const MARK = '\u0000hush-arg:';

interface Template {
  readonly sql: string;
  /** Per compiled parameter: the index of the argument it takes, or -1 for a constant. */
  readonly slots: readonly number[];
  readonly constants: readonly unknown[];
}

/** `arg(i)` stands for the i-th argument when the query is built. */
export type ArgFn = (i: number) => never;

export interface PreparedQuery<R> {
  /** Runs with `args` (by position); `size` picks the statement's shape (e.g. a row count). */
  execute(db: DbOrTrx, args: readonly unknown[], size?: number): Promise<QueryResult<R>>;
}

const markerIndex = (p: unknown): number => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : -1);

export function prepareQuery<R>(build: (db: DbOrTrx, arg: ArgFn, size: number) => Compilable<R>): PreparedQuery<R> {
  // Keyed by the dialect adapter: a Kysely instance and its transactions share it, and two
  // stores (SQLite and PostgreSQL in one test run) each get their own compiled text.
  const byAdapter = new WeakMap<object, Map<number, Template>>();
  const compile = (db: DbOrTrx, size: number): Template => {
    const compiled = build(db, ((i: number) => `${MARK}${i}`) as ArgFn, size).compile();
    // An argument spliced into the SQL text (not bound as a parameter) cannot be rebound.
    if (compiled.sql.includes(MARK)) throw new Error('prepareQuery: an argument ended up in the SQL text; pass it as a value');
    const slots = compiled.parameters.map(markerIndex);
    return { sql: compiled.sql, slots, constants: compiled.parameters };
  };
  return {
    async execute(db, args, size = 0) {
      const adapter = db.getExecutor().adapter as object;
      let forAdapter = byAdapter.get(adapter);
      if (forAdapter === undefined) byAdapter.set(adapter, (forAdapter = new Map()));
      let t = forAdapter.get(size);
      if (t === undefined) forAdapter.set(size, (t = compile(db, size)));
      const params = new Array<unknown>(t.slots.length);
      for (let i = 0; i < t.slots.length; i++) {
        const s = t.slots[i] as number;
        params[i] = s < 0 ? t.constants[i] : args[s];
      }
      return db.executeQuery<R>(CompiledQuery.raw(t.sql, params) as CompiledQuery<R>);
    },
  };
}
