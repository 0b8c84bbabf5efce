import { describe, expect, it } from 'vitest';
import { hearsChange, readLedgerTrigger } from './logic-ledger-trigger-fns.ts';
import { readTriggers } from './logic-input-fns.ts';

describe('readLedgerTrigger', () => {
  it('reads the ledger name (ledger_name or ledger), change type (default set, any case) and instance scope (bare or { value })', () => {
    expect(readLedgerTrigger({ ledger_name: 'cache' }, 't')).toEqual({ ledgerName: 'cache', changeType: 'set', instanceScope: null });
    expect(readLedgerTrigger({ ledger: 'cache', change_type: 'DELETE', instance_scope: 42 }, 't')).toEqual({ ledgerName: 'cache', changeType: 'delete', instanceScope: '42' });
    expect(readLedgerTrigger({ ledger_name: 'c', change_type: 'Set', instance_scope: { value: 'abc' } }, 't').instanceScope).toBe('abc');
    expect(readLedgerTrigger({ ledger_name: 'c', instance_scope: '' }, 't').instanceScope).toBeNull();
    expect(readLedgerTrigger({ ledger_name: 'c', instance_scope: { value: null } }, 't').instanceScope).toBeNull();
  });

  it('refuses a missing or invalid name, an unknown change type and an overlong scope value', () => {
    expect(() => readLedgerTrigger({}, 'logic_triggers[2]')).toThrow(/^logic_triggers\[2\]\.ledger_name is required for a LedgerChange trigger$/);
    expect(() => readLedgerTrigger({ ledger_name: 'Big' }, 't')).toThrow(/^t\.ledger_name 'Big' must be 1 to 32/);
    expect(() => readLedgerTrigger({ ledger_name: 'c', change_type: 'update' }, 't')).toThrow(/^t\.change_type must be set or delete, got 'update'$/);
    expect(() => readLedgerTrigger({ ledger_name: 'c', instance_scope: 'x'.repeat(65) }, 't')).toThrow(/instance_scope must be/);
  });

  it('is what readTriggers gives a LedgerChange trigger (no product, no schedule)', () => {
    const [t] = readTriggers([{ type: 'LedgerChange', ledger_name: 'cache', change_type: 'delete' }], 5);
    expect(t).toMatchObject({ type: 'LedgerChange', enabled: true, ledgerName: 'cache', changeType: 'delete', instanceScope: null, eventName: null, productId: null, cron: null });
  });
});

describe('hearsChange', () => {
  it('hears every instance without a scope, only its own with one', () => {
    const change = { scope: { type: 'Device', value: 'dev1' } } as const;
    expect(hearsChange(null, change)).toBe(true);
    expect(hearsChange('dev1', change)).toBe(true);
    expect(hearsChange('dev2', change)).toBe(false);
  });
});
