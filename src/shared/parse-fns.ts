import { z } from 'zod';
import { HushError } from '../errors/errors.ts';

/** Formats zod issues as one user-facing line naming the fields. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length > 0 ? i.path.join('.') : 'body';
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}${i.path.length ? ` in ${where}` : ''}`;
      if (i.code === 'invalid_type') return `${where} must be ${i.expected}`;
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

/** Validates a request body (or query) against a schema; 400 with the fields named. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = 'request body'): z.infer<T> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new HushError('validation_failed', `invalid ${what}: ${describeIssues(r.error)}`);
  return r.data;
}
