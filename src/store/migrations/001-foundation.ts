import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../database-types.ts';

/** Users, tokens, organizations, keys, secrets with versions, usages and audit. */
export function foundationMigration(dialect: Dialect): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('access_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .execute();
      await db.schema.createIndex('access_tokens_user').on('access_tokens').column('user_id').execute();
      await db.schema
        .createTable('orgs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('org_members')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('org_members_pk', ['org_id', 'user_id'])
        .execute();
      await db.schema.createIndex('org_members_user').on('org_members').column('user_id').execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('owner_state')
        .addColumn('owner', 'text', (c) => c.primaryKey())
        .addColumn('secrets_version', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('data_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('data_keys_owner').on('data_keys').column('owner').execute();
      await db.schema
        .createTable('data_key_wrappings')
        .addColumn('data_key_id', 'text', (c) => c.notNull().references('data_keys.id').onDelete('cascade'))
        .addColumn('master_key_id', 'text', (c) => c.notNull())
        .addColumn('wrapped', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('data_key_wrappings_pk', ['data_key_id', 'master_key_id'])
        .execute();
      await db.schema
        .createTable('secrets')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('last_accessed_at', 'text')
        .addPrimaryKeyConstraint('secrets_pk', ['owner', 'name'])
        .execute();
      await db.schema
        .createTable('secret_versions')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('data_key_id', 'text', (c) => c.notNull().references('data_keys.id'))
        .addColumn('nonce', bytes, (c) => c.notNull())
        .addColumn('ciphertext', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('restored_from', 'integer')
        .addPrimaryKeyConstraint('secret_versions_pk', ['owner', 'name', 'version'])
        .execute();
      await db.schema
        .createTable('secret_usages')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('secret_name', 'text', (c) => c.notNull())
        .addColumn('consumer_type', 'text', (c) => c.notNull())
        .addColumn('consumer_id', 'text', (c) => c.notNull())
        .addColumn('consumer_name', 'text', (c) => c.notNull())
        .addColumn('product_slug', 'text')
        .addPrimaryKeyConstraint('secret_usages_pk', ['owner', 'secret_name', 'consumer_type', 'consumer_id'])
        .execute();
      await db.schema.createIndex('secret_usages_consumer').on('secret_usages').columns(['consumer_type', 'consumer_id']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_owner').on('audit_log').columns(['owner', 'id']).execute();
    },
  };
}
