import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.ts';
import { isHushError } from '../errors/errors.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { CliError } from './cli-context.ts';
import { migrateCommand } from './migrate-command.ts';
import { serveCommand } from './serve-command.ts';

const program = new Command('hush')
  .description('Hush: self-hosted cloud secrets with a Particle-compatible API')
  .exitOverride()
  .showHelpAfterError(false);

program.command('serve').description('start the server (API and console)').action(serveCommand);
program.command('migrate').description('run database migrations and exit').action(migrateCommand);
registerAdminCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode);
  }
  const known = e instanceof CliError || e instanceof ConfigError || isHushError(e);
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`hush: ${known ? message : `unexpected error: ${message}`}\n`);
  process.exit(1);
}
