import { HushError } from '../errors/errors.ts';
import { LEDGER_DIRECTIONS, LEDGER_SCOPES, type LedgerData, type LedgerDirection, type LedgerScopeType, type SetMode } from './ledger-types.ts';

/** Spec ledger-and-env §1.1: lowercase letters, digits and dash, at most 32 characters. */
export const LEDGER_NAME_PATTERN = /^[a-z0-9-]{1,32}$/;
export const DESCRIPTION_MAX = 1000;
/** Cloud-only instances up to 1 MiB, device-synced kinds up to 16 KiB (of JSON text, UTF-8). */
export const SIZE_LIMITS: Record<LedgerDirection, number> = { CloudOnly: 1024 * 1024, Upstream: 16 * 1024, Downstream: 16 * 1024 };

const quote = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

export function checkLedgerName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new HushError('invalid_name', 'ledger name is required');
  if (!LEDGER_NAME_PATTERN.test(name)) {
    throw new HushError('invalid_name', `ledger name '${quote(name)}' must be 1 to 32 lowercase letters, digits or dashes`);
  }
  return name;
}

export function checkScope(scope: unknown): LedgerScopeType {
  if (typeof scope === 'string' && (LEDGER_SCOPES as readonly string[]).includes(scope)) return scope as LedgerScopeType;
  throw new HushError('validation_failed', `ledger scope must be one of ${LEDGER_SCOPES.join(', ')}`);
}

/** Omitted (undefined or null) means cloud only. */
export function checkDirection(direction: unknown): LedgerDirection {
  if (direction === undefined || direction === null) return 'CloudOnly';
  if (typeof direction === 'string' && (LEDGER_DIRECTIONS as readonly string[]).includes(direction)) return direction as LedgerDirection;
  throw new HushError('validation_failed', `ledger direction must be Upstream (device to cloud), Downstream (cloud to device) or omitted (cloud only)`);
}

export function checkDescription(d: unknown): string {
  if (d === undefined || d === null) return '';
  if (typeof d !== 'string' || d.length > DESCRIPTION_MAX) throw new HushError('validation_failed', `ledger description must be text of at most ${DESCRIPTION_MAX} characters`);
  return d;
}

export function checkSetMode(mode: unknown): SetMode {
  if (mode === undefined || mode === null || mode === '') return 'Replace';
  if (typeof mode === 'string') {
    const m = mode.toLowerCase();
    if (m === 'replace') return 'Replace';
    if (m === 'merge') return 'Merge';
  }
  throw new HushError('validation_failed', 'set_mode must be Replace or Merge');
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** Instance data is a JSON object (arrays, strings, numbers and null are refused). */
export function checkData(data: unknown): LedgerData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HushError('validation_failed', `ledger data must be a JSON object, got ${kindOf(data)}`);
  }
  return data as LedgerData;
}

/** The stored text and its size; refuses data over the kind's limit. */
export function encodeData(data: LedgerData, direction: LedgerDirection, ledger: string): { json: string; size: number } {
  const json = JSON.stringify(data);
  const size = Buffer.byteLength(json, 'utf8');
  const limit = SIZE_LIMITS[direction];
  if (size > limit) {
    throw new HushError('validation_failed', `ledger '${ledger}' data is ${size} bytes; this kind of ledger holds at most ${limit} bytes per instance`);
  }
  return { json, size };
}
