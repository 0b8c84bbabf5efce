import type { Command } from 'commander';
import { CliError, readStdin } from './cli-context.ts';

/** What one keypress chunk did to a hidden-input line. */
export interface KeyResult {
  readonly text: string;
  /** `done`: Enter or Ctrl-D; `cancel`: Ctrl-C; null: keep reading. */
  readonly end: 'done' | 'cancel' | null;
}

/**
 * Applies a chunk of raw terminal input to the line typed so far: Enter (or Ctrl-D) ends
 * it, Ctrl-C cancels, Backspace removes the last character, Ctrl-U clears the line.
 */
export function applyKeys(text: string, chunk: string): KeyResult {
  let t = text;
  for (const ch of chunk) {
    if (ch === '\r' || ch === '\n' || ch === '\u0004') return { text: t, end: 'done' };
    if (ch === '\u0003') return { text: '', end: 'cancel' };
    if (ch === '\u007f' || ch === '\b') t = [...t].slice(0, -1).join('');
    else if (ch === '\u0015') t = '';
    else if (ch >= ' ') t += ch;
  }
  return { text: t, end: null };
}

/** Reads one line from the terminal without echoing it; the prompt goes to stderr. */
async function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: string) => {
        const r = applyKeys(text, chunk);
        text = r.text;
        if (r.end === null) return;
        stdin.off('data', onData);
        process.stderr.write('\n');
        if (r.end === 'cancel') reject(new CliError('cancelled'));
        else resolve(text);
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** Adds `--password` and `--password-stdin` (read them with `readPasswordOption`). */
export function passwordOptions(cmd: Command, what = 'the password'): Command {
  return cmd
    .option('--password <password>', `${what} (prefer --password-stdin)`)
    .option('--password-stdin', 'read the password from standard input (on a terminal: a hidden prompt, typed twice)');
}

export interface PasswordOptions {
  readonly password?: string;
  readonly passwordStdin?: boolean;
}

/**
 * The password from `--password` or `--password-stdin`. On a terminal, stdin is read as a
 * hidden prompt typed twice; otherwise all of stdin is the password (one trailing newline
 * dropped). Never echoes or logs it.
 */
export async function readPasswordOption(o: PasswordOptions): Promise<string> {
  if (o.password !== undefined && o.passwordStdin) throw new CliError('give either --password or --password-stdin, not both');
  if (o.password !== undefined) {
    if (o.password === '') throw new CliError('--password is empty');
    return o.password;
  }
  if (!o.passwordStdin) throw new CliError('give --password or --password-stdin');
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password: ');
    if (first === '') throw new CliError('no password typed');
    const again = await promptHidden('Password (again): ');
    if (again !== first) throw new CliError('the two passwords differ; nothing changed');
    return first;
  }
  const piped = await readStdin();
  if (piped === '') throw new CliError('no password on standard input');
  return piped;
}
