import type { Command } from 'commander';
import { CliError, withServices } from './cli-context.ts';
import { passwordOptions, readPasswordOption } from './password-input.ts';

const out = (line: string) => process.stdout.write(line + '\n');

/** Left-aligned columns separated by two spaces (the last column is not padded). */
export function formatTable(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

/**
 * The day-to-day operator commands beside `create`: list users and organizations, reset a
 * password, revoke a user's tokens, remove an organization member.
 */
export function registerAccountCommands(groups: { readonly user: Command; readonly token: Command; readonly org: Command }): void {
  const { user, token, org } = groups;
  user
    .command('list')
    .description('list users: email, id, created at')
    .action(async () => {
      const rows = await withServices((s) => s.store.db.selectFrom('users').select(['email', 'id', 'created_at']).orderBy('email').execute());
      if (rows.length === 0) out('No users yet.');
      else for (const line of formatTable([['EMAIL', 'ID', 'CREATED'], ...rows.map((r) => [r.email, r.id, r.created_at])])) out(line);
    });

  passwordOptions(
    user
      .command('set-password')
      .description("replace a user's password (their tokens stay valid; see `token revoke`)")
      .requiredOption('--email <email>', 'the user'),
    'the new password',
  ).action(async (o: { email: string; password?: string; passwordStdin?: boolean }) => {
      const password = await readPasswordOption(o);
      const u = await withServices((s) => s.auth.setPassword(o.email, password));
      out(`Changed the password of ${u.email}.`);
    });

  token
    .command('revoke')
    .description("revoke every access token of a user (API clients and console sign-ins)")
    .requiredOption('--email <email>', 'whose tokens')
    .action(async (o: { email: string }) => {
      const n = await withServices(async (s) => {
        const u = await s.auth.userByEmail(o.email);
        if (!u) throw new CliError(`no user with email '${o.email}'`);
        return s.auth.revokeAll(u.id);
      });
      out(`Revoked ${n} token(s) of ${o.email.trim().toLowerCase()}.`);
    });

  org
    .command('list')
    .description('list organizations: slug, id, members, name')
    .action(async () => {
      const rows = await withServices((s) =>
        s.store.db
          .selectFrom('orgs')
          .leftJoin('org_members', 'org_members.org_id', 'orgs.id')
          .select((eb) => ['orgs.slug', 'orgs.id', 'orgs.name', eb.fn.count<number>('org_members.user_id').as('members')])
          .groupBy(['orgs.slug', 'orgs.id', 'orgs.name'])
          .orderBy('orgs.slug')
          .execute(),
      );
      if (rows.length === 0) out('No organizations yet.');
      else for (const line of formatTable([['SLUG', 'ID', 'MEMBERS', 'NAME'], ...rows.map((r) => [r.slug, r.id, String(r.members), r.name])])) out(line);
    });

  org
    .command('remove-member')
    .description('remove a member (the last administrator cannot be removed)')
    .requiredOption('--org <slug>', 'organization slug or id')
    .requiredOption('--email <email>', 'the member')
    .action(async (o: { org: string; email: string }) => {
      await withServices(async (s) => s.orgs.removeMember(await s.orgs.operatorScope(o.org), o.email));
      out(`Removed ${o.email} from ${o.org}.`);
    });
}
