import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../database-types.ts';

/**
 * Staged rotation and expiry (issue #19): a secret's pending value (one at most, encrypted
 * like a version), its optional expiry time and rotation period, and the expiry reminders
 * already sent (one row per secret, expiry time and reminder: its insert is the claim that
 * makes a reminder go out once across the cluster).
 */
export function secretRotationExpiryMigration(dialect: Dialect): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('secrets').addColumn('expires_at', 'text').execute();
      await db.schema.alterTable('secrets').addColumn('rotation_period_days', 'integer').execute();
      await db.schema.createIndex('secrets_expires_at').on('secrets').column('expires_at').execute();
      await db.schema
        .createTable('secret_pending')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('data_key_id', 'text', (c) => c.notNull().references('data_keys.id'))
        .addColumn('nonce', bytes, (c) => c.notNull())
        .addColumn('ciphertext', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_pending_pk', ['owner', 'name'])
        .execute();
      await db.schema
        .createTable('secret_reminders')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('reminder', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('secret_reminders_pk', ['owner', 'name', 'expires_at', 'reminder'])
        .execute();
    },
  };
}
