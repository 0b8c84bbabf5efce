import fs from 'node:fs';
import type { Command } from 'commander';
import type { SecretView } from '../secrets/secret-types.ts';
import { formatTable } from './account-commands.ts';
import { CliError, readStdin, withServices } from './cli-context.ts';

const out = (line: string) => process.stdout.write(line + '\n');
const OWNER_HELP = "a user's email (their sandbox), or an organization's slug or id";

const readSource = async (file: string): Promise<string> => {
  if (file === '-') return readStdin();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
};

/**
 * `hush secrets import|list`: bulk upsert from a dotenv file, and names with their
 * metadata. Values go in; none ever comes out on the terminal.
 */
export function registerSecretCommands(program: Command): void {
  const secrets = program.command('secrets').description('import and list secrets (values are never printed)');
  secrets
    .command('import')
    .description('create or replace secrets from a dotenv file (NAME=value lines); a file with any bad line stores nothing')
    .requiredOption('--owner <owner>', OWNER_HELP)
    .argument('<file>', 'the dotenv file, or - for standard input')
    .action(async (file: string, o: { owner: string }) => {
      const text = await readSource(file);
      const r = await withServices(async (s) => s.secretImport.importDotenv(await s.orgs.operatorScope(o.owner), text));
      out(`Imported into ${o.owner}: ${r.created.length} created, ${r.replaced.length} replaced, ${r.unchanged.length} unchanged.`);
    });
  secrets
    .command('list')
    .description('list secret names with version, last update and last use')
    .requiredOption('--owner <owner>', OWNER_HELP)
    .option('--json', 'print JSON (the API\'s secret fields) instead of a table')
    .action(async (o: { owner: string; json?: boolean }) => {
      const list = await withServices(async (s) => s.secrets.list(await s.orgs.operatorScope(o.owner)));
      if (o.json) out(JSON.stringify(list, null, 2));
      else if (list.length === 0) out(`No secrets in ${o.owner}.`);
      else printTable(list);
    });
}

function printTable(list: readonly SecretView[]): void {
  const rows = list.map((v) => [v.name, String(v.version), v.updated_at, v.updated_by_username ?? v.updated_by, v.last_accessed_at ?? 'never', String(v.usage_count)]);
  for (const line of formatTable([['NAME', 'VERSION', 'UPDATED', 'BY', 'LAST USED', 'USED BY'], ...rows])) out(line);
}
