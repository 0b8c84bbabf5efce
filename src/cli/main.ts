import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './admin-commands.ts';
import { registerBackupCommands } from './backup-commands.ts';
import { registerSecretCommands } from './secret-commands.ts';
import { describeCliError } from './cli-errors.ts';
import { migrateCommand } from './migrate-command.ts';
import { serveCommand } from './serve-command.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// Set before any subcommand is added: commander copies both settings to each one. Usage
// errors get the same `hush: ` prefix and single line as every other error.
const program = new Command('hush')
  .description('Hush: self-hosted cloud secrets with a Particle-compatible API')
  .version(pkg.version, '-V, --version', 'print the version')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'hush: ')) })
  .showHelpAfterError(false);

program.command('serve').description('start the server (API and console)').action(serveCommand);
program.command('migrate').description('run database migrations and exit').action(migrateCommand);
registerAdminCommands(program);
registerBackupCommands(program);
registerSecretCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode);
  }
  process.stderr.write(`hush: ${describeCliError(e)}\n`);
  process.exit(1);
}
