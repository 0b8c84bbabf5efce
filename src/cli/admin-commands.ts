import type { Command } from 'commander';
import { isOrgRole, ORG_ROLES } from '../auth/scope-types.ts';
import { createDataKeyStore } from '../crypto/data-key-store.ts';
import { pruneOldWrappings, rotateMasterKey } from '../crypto/key-rotation.ts';
import { parseMasterKeys } from '../config/config.ts';
import { keySourceFor } from '../server/runtime.ts';
import { registerAccountCommands } from './account-commands.ts';
import { CliError, readStdin, withServices } from './cli-context.ts';
import { passwordOptions, readPasswordOption } from './password-input.ts';

const out = (line: string) => process.stdout.write(line + '\n');

/** `hush user|token|org|key ...`: administration on the server's data dir or database. */
export function registerAdminCommands(program: Command): void {
  const user = program.command('user').description('manage users');
  passwordOptions(
    user
      .command('create')
      .description('create a user who can sign in and get tokens')
      .requiredOption('--email <email>', 'the user\'s email (their username)'),
  ).action(async (o: { email: string; password?: string; passwordStdin?: boolean }) => {
      const password = await readPasswordOption(o);
      const u = await withServices((s) => s.auth.createUser(o.email, password));
      out(`Created user ${u.email} (id ${u.id}).`);
    });

  const token = program.command('token').description('manage access tokens');
  token
    .command('create')
    .description('print a new access token for a user')
    .requiredOption('--email <email>', 'whose token')
    .option('--expires-in <seconds>', 'lifetime in seconds; 0 never expires', '7776000')
    .action(async (o: { email: string; expiresIn: string }) => {
      const seconds = Number(o.expiresIn);
      if (!Number.isInteger(seconds) || seconds < 0) throw new CliError(`--expires-in must be a whole number of seconds, got '${o.expiresIn}'`);
      const issued = await withServices(async (s) => {
        const u = await s.auth.userByEmail(o.email);
        if (!u) throw new CliError(`no user with email '${o.email}'`);
        return s.auth.issueToken(u.id, 'hush', seconds);
      });
      out(issued.accessToken);
    });

  const org = program.command('org').description('manage organizations');
  org
    .command('create')
    .description('create an organization with an administrator')
    .requiredOption('--slug <slug>', 'URL name, e.g. acme')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--owner <email>', 'first administrator')
    .action(async (o: { slug: string; name: string; owner: string }) => {
      const created = await withServices((s) => s.orgs.create(o.slug, o.name, o.owner));
      out(`Created organization ${created.slug} (id ${created.id}) with administrator ${o.owner}.`);
    });
  org
    .command('add-member')
    .description('add a member or change their role')
    .requiredOption('--org <slug>', 'organization slug or id')
    .requiredOption('--email <email>', 'the member')
    .requiredOption('--role <role>', ORG_ROLES.join(' | '))
    .action(async (o: { org: string; email: string; role: string }) => {
      if (!isOrgRole(o.role)) throw new CliError(`--role must be one of ${ORG_ROLES.join(', ')}, got '${o.role}'`);
      await withServices(async (s) => s.orgs.setMember(await s.orgs.operatorScope(o.org), o.email, o.role));
      out(`${o.email} is now ${o.role} of ${o.org}.`);
    });

  registerAccountCommands({ user, token, org });

  const key = program.command('key').description('manage the master key');
  key
    .command('rotate')
    .description('introduce a new master key and re-wrap every data key (safe while servers run)')
    .option('--new-key-stdin', 'read the new base64 key from standard input instead of generating one')
    .action(async (o: { newKeyStdin?: boolean }) => {
      const newKey = o.newKeyStdin ? parseMasterKeys('new key', await readStdin())[0] : undefined;
      const r = await withServices(async (s, config) => rotateMasterKey(s.store.db, createDataKeyStore(), keySourceFor(config), newKey));
      out(`Rotated to master key ${r.newKeyId}: ${r.rewrapped} data key(s) re-wrapped.`);
      if (r.newKeyBase64) {
        out(`New HUSH_MASTER_KEY=${r.newKeyBase64}`);
        out('Set it on every node (old wrappings stay until `hush key prune`, so nodes on the old key keep working), restart them, then run `hush key prune`.');
      }
    });
  key
    .command('prune')
    .description('after every node runs with the new key: drop wrappings under older keys')
    .action(async () => {
      const r = await withServices(async (s, config) => pruneOldWrappings(s.store.db, createDataKeyStore(), keySourceFor(config)));
      out(`Pruned ${r.pruned} old wrapping(s); ${r.rewrapped} data key(s) wrapped under the primary key first.`);
    });
}
