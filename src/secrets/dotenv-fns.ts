import { parse } from 'dotenv';
import { secretNameProblem, secretValueProblem } from './secret-name-fns.ts';

export interface DotenvEntry {
  readonly name: string;
  readonly value: string;
  /** 1-based line where the pair starts (its last occurrence, which dotenv keeps). */
  readonly line: number;
}

export interface DotenvProblem {
  readonly line: number;
  readonly message: string;
}

/** Where a pair starts, in the syntax dotenv reads (`KEY=…`, `export KEY=…`, `KEY: …`). */
const PAIR_START = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)/;

/**
 * Reads a dotenv file for `hush secrets import`. The values are dotenv's own reading
 * (quotes, escapes, multi-line values, comments), so a file that works with the `dotenv`
 * package imports the same; this adds the line of each pair and checks every name and
 * value as the API would. A value never appears in a problem's message.
 */
export function readDotenv(text: string): { readonly entries: readonly DotenvEntry[]; readonly problems: readonly DotenvProblem[] } {
  const parsed = parse(text);
  const lines = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    const key = PAIR_START.exec(l)?.[1];
    if (key !== undefined && Object.hasOwn(parsed, key)) lines.set(key, i + 1);
  });
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    const line = lines.get(name) ?? 0;
    const nameProblem = secretNameProblem(name);
    const valueProblem = nameProblem === null ? secretValueProblem(value) : null;
    if (nameProblem !== null) problems.push({ line, message: `${nameProblem}: '${name.length > 140 ? `${name.slice(0, 140)}…` : name}'` });
    else if (valueProblem !== null) problems.push({ line, message: `${name}: ${valueProblem}` });
    else entries.push({ name, value, line });
  }
  problems.sort((a, b) => a.line - b.line);
  return { entries, problems };
}
