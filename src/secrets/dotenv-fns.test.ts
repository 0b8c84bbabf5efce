import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDotenv } from './dotenv-fns.ts';

describe('readDotenv', () => {
  it("reads dotenv's syntax, with the line each pair starts on", () => {
    const text = ['# tokens', 'API_KEY=abc123', '', 'export DB_PASSWORD="p w\\nd"', 'MULTI="one', 'two"', "SINGLE='x=y' # note", 'API_KEY=again'].join('\n');
    expect(readDotenv(text)).toEqual({
      entries: [
        { name: 'API_KEY', value: 'again', line: 8 },
        { name: 'DB_PASSWORD', value: 'p w\nd', line: 4 },
        { name: 'MULTI', value: 'one\ntwo', line: 5 },
        { name: 'SINGLE', value: 'x=y', line: 7 },
      ],
      problems: [],
    });
  });

  it('refuses invalid names and empty values by line, never quoting a value', () => {
    const { entries, problems } = readDotenv('GOOD=value-one\nlower_case=hidden-value-1\nEMPTY=\n9LIVES=hidden-value-2\r\n');
    expect(entries.map((e) => e.name)).toEqual(['GOOD']);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[0]!.message).toContain("'lower_case'");
    expect(problems[1]!.message).toBe('EMPTY: Secret value must not be empty');
    expect(JSON.stringify(problems)).not.toMatch(/hidden-value/);
  });

  it('round-trips any valid name and single-line value written as NAME="value"', () => {
    const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/);
    const value = fc.string({ minLength: 1, maxLength: 40 }).filter((v) => !/["\\\r\n]/.test(v) && v.trim() === v && v !== '');
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, minLength: 1, maxLength: 8 }), (pairs) => {
        const { entries, problems } = readDotenv(pairs.map(([n, v]) => `${n}="${v}"`).join('\n'));
        expect(problems).toEqual([]);
        expect(entries).toEqual(pairs.map(([n, v], i) => ({ name: n, value: v, line: i + 1 })));
      }),
    );
  });
});
