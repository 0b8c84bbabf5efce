import { sql } from 'kysely';
import type { DbOrTrx } from '../store/database-types.ts';

/** Who reads a secret's value: a webhook integration or a deployed Logic function. */
export type ConsumerKind = 'integration' | 'logic';

/** Uses of one secret by one consumer on one UTC day, as the coalesced flush writes them. */
export interface ConsumerUse {
  readonly owner: string;
  readonly secretName: string;
  readonly kind: ConsumerKind;
  readonly consumerId: string;
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  readonly uses: number;
  /** ISO time of the newest of these uses. */
  readonly lastUsedAt: string;
}

export interface ConsumerRow {
  readonly kind: ConsumerKind;
  readonly consumerId: string;
  /** The consumer's name when it was last seen using the secret (null when it never was while listed). */
  readonly consumerName: string | null;
  readonly lastUsedAt: string;
}

export interface ConsumerDayRow {
  readonly kind: ConsumerKind;
  readonly consumerId: string;
  readonly day: string;
  readonly uses: number;
}

/** Access by consumer: last use and per-day counts, additive across nodes. */
export interface SecretConsumerStore {
  /** Adds uses (moves last use forward only); nothing for a secret that no longer exists. */
  add(db: DbOrTrx, use: ConsumerUse): Promise<void>;
  /** One secret's consumer rows, and its day rows from `sinceDay` on. */
  forSecret(db: DbOrTrx, owner: string, name: string, sinceDay: string): Promise<{ consumers: ConsumerRow[]; days: ConsumerDayRow[] }>;
  deleteForSecret(db: DbOrTrx, owner: string, name: string): Promise<void>;
  /** Drops day rows before `beforeDay`, and consumer rows last used before it that no longer use the secret. */
  trim(db: DbOrTrx, beforeDay: string): Promise<void>;
}

const kindOf = (k: string): ConsumerKind => (k === 'logic' ? 'logic' : 'integration');
// Typed parameters: PostgreSQL would read a bare parameter in INSERT … SELECT as text.
const text = (v: string) => sql<string>`cast(${v} as text)`;

export function createKyselySecretConsumerStore(): SecretConsumerStore {
  return {
    async add(db, u) {
      const key = ['owner', 'secret_name', 'consumer_kind', 'consumer_id'] as const;
      await db
        .insertInto('secret_consumers')
        .columns([...key, 'consumer_name', 'last_used_at'])
        .expression((eb) =>
          eb
            .selectFrom('secrets as s')
            .select((se) => [
              's.owner',
              's.name',
              text(u.kind).as('k'),
              text(u.consumerId).as('i'),
              se
                .selectFrom('secret_usages as g')
                .select('g.consumer_name')
                .whereRef('g.owner', '=', 's.owner')
                .whereRef('g.secret_name', '=', 's.name')
                .where('g.consumer_type', '=', u.kind)
                .where('g.consumer_id', '=', u.consumerId)
                .as('n'),
              text(u.lastUsedAt).as('a'),
            ])
            .where('s.owner', '=', u.owner)
            .where('s.name', '=', u.secretName),
        )
        .onConflict((oc) =>
          oc.columns([...key]).doUpdateSet((eb) => ({
            consumer_name: eb.fn.coalesce('excluded.consumer_name', 'secret_consumers.consumer_name'),
            last_used_at: eb.case().when('excluded.last_used_at', '>', eb.ref('secret_consumers.last_used_at')).then(eb.ref('excluded.last_used_at')).else(eb.ref('secret_consumers.last_used_at')).end(),
          })),
        )
        .execute();
      await db
        .insertInto('secret_consumer_days')
        .columns([...key, 'day', 'uses'])
        .expression((eb) =>
          eb
            .selectFrom('secrets as s')
            .select(['s.owner', 's.name', text(u.kind).as('k'), text(u.consumerId).as('i'), text(u.day).as('d'), sql<number>`cast(${u.uses} as integer)`.as('c')])
            .where('s.owner', '=', u.owner)
            .where('s.name', '=', u.secretName),
        )
        .onConflict((oc) => oc.columns([...key, 'day']).doUpdateSet((eb) => ({ uses: eb('secret_consumer_days.uses', '+', eb.ref('excluded.uses')) })))
        .execute();
    },
    async forSecret(db, owner, name, sinceDay) {
      const consumers = await db.selectFrom('secret_consumers').selectAll().where('owner', '=', owner).where('secret_name', '=', name).execute();
      const days = await db
        .selectFrom('secret_consumer_days')
        .selectAll()
        .where('owner', '=', owner)
        .where('secret_name', '=', name)
        .where('day', '>=', sinceDay)
        .orderBy('day')
        .execute();
      return {
        consumers: consumers.map((r) => ({ kind: kindOf(r.consumer_kind), consumerId: r.consumer_id, consumerName: r.consumer_name, lastUsedAt: r.last_used_at })),
        days: days.map((r) => ({ kind: kindOf(r.consumer_kind), consumerId: r.consumer_id, day: r.day, uses: Number(r.uses) })),
      };
    },
    async deleteForSecret(db, owner, name) {
      await db.deleteFrom('secret_consumer_days').where('owner', '=', owner).where('secret_name', '=', name).execute();
      await db.deleteFrom('secret_consumers').where('owner', '=', owner).where('secret_name', '=', name).execute();
    },
    async trim(db, beforeDay) {
      await db.deleteFrom('secret_consumer_days').where('day', '<', beforeDay).execute();
      await db
        .deleteFrom('secret_consumers as c')
        .where('c.last_used_at', '<', beforeDay)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('secret_usages as g')
                .select('g.owner')
                .whereRef('g.owner', '=', 'c.owner')
                .whereRef('g.secret_name', '=', 'c.secret_name')
                .whereRef('g.consumer_type', '=', 'c.consumer_kind')
                .whereRef('g.consumer_id', '=', 'c.consumer_id'),
            ),
          ),
        )
        .execute();
    },
  };
}
