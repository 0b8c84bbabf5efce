import { HushError } from '../errors/errors.ts';
import type { EnvOp, EnvValues } from './env-types.ts';

/** A key: a letter or underscore, then letters, digits or underscores; at most 64 characters. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Largest value, in bytes of UTF-8. */
export const ENV_VALUE_MAX_BYTES = 4096;
/** Most keys one scope holds. */
export const ENV_MAX_KEYS = 100;
/** Most operations in one PATCH (particle-api-js: "Max 50"). */
export const ENV_MAX_OPS = 50;

const quote = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

export function checkKey(key: unknown, where = 'key'): string {
  if (typeof key !== 'string' || key === '') throw new HushError('validation_failed', `${where} is required`);
  if (!ENV_KEY_PATTERN.test(key)) {
    throw new HushError('validation_failed', `${where} '${quote(key)}' must start with a letter or underscore and hold only letters, digits and underscores (at most 64 characters)`);
  }
  return key;
}

export function checkValue(value: unknown, key: string): string {
  if (typeof value !== 'string') throw new HushError('validation_failed', `the value of '${key}' must be a string`);
  const size = Buffer.byteLength(value, 'utf8');
  if (size > ENV_VALUE_MAX_BYTES) throw new HushError('validation_failed', `the value of '${key}' is ${size} bytes; a value holds at most ${ENV_VALUE_MAX_BYTES} bytes`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ ops: [{ op: 'Set'|'Unset', key, value? }] }`: 1 to 50 operations (other fields of an op, such as the CLI's `access`, are ignored). */
export function readOps(body: unknown): EnvOp[] {
  const ops = isObject(body) ? body.ops : undefined;
  if (!Array.isArray(ops)) throw new HushError('validation_failed', 'the body must be { "ops": [{ "op": "Set" | "Unset", "key": ..., "value": ... }] }');
  if (ops.length === 0) throw new HushError('validation_failed', 'ops must hold at least one operation');
  if (ops.length > ENV_MAX_OPS) throw new HushError('validation_failed', `ops holds ${ops.length} operations; at most ${ENV_MAX_OPS} are allowed in one request`);
  return ops.map((o, i) => {
    if (!isObject(o)) throw new HushError('validation_failed', `ops[${i}] must be an object`);
    const key = checkKey(o.key, `ops[${i}].key`);
    if (o.op === 'Set') return { op: 'Set', key, value: checkValue(o.value, key) };
    if (o.op === 'Unset') return { op: 'Unset', key };
    throw new HushError('validation_failed', `ops[${i}].op must be Set or Unset`);
  });
}

/** Applies operations in order; refuses a result with more than `ENV_MAX_KEYS` keys. */
export function applyOps(own: EnvValues, ops: readonly EnvOp[]): Record<string, string> {
  const next: Record<string, string> = { ...own };
  for (const o of ops) {
    if (o.op === 'Set') next[o.key] = o.value;
    else delete next[o.key];
  }
  const n = Object.keys(next).length;
  if (n > ENV_MAX_KEYS) throw new HushError('validation_failed', `a scope holds at most ${ENV_MAX_KEYS} environment variables; this change would make ${n}`);
  return next;
}

/** `when` of a rollout: `Immediate` or `Connect` (the default, as particle-cli sends). */
export function checkWhen(body: unknown): 'Immediate' | 'Connect' {
  const when = isObject(body) ? body.when : undefined;
  if (when === undefined || when === null) return 'Connect';
  if (when === 'Immediate' || when === 'Connect') return when;
  throw new HushError('validation_failed', 'when must be Immediate or Connect');
}
