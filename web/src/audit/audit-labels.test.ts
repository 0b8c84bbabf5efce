import { describe, expect, it } from 'vitest';
import { ACTION_FAMILIES, actionLabel, actionsOf } from './audit-labels.ts';

describe('audit labels', () => {
  it('labels known actions in words and falls back to the code as words', () => {
    expect(actionLabel('secret.create')).toBe('Created secret');
    expect(actionLabel('widget.frob_nicate')).toBe('Widget frob nicate');
  });
  it('every family offers at least one action, and every action belongs to a family', () => {
    for (const f of ACTION_FAMILIES) expect(actionsOf(f.id).length, f.id).toBeGreaterThan(0);
    expect(actionsOf('secret')).toContain('secret.promote');
  });
});
