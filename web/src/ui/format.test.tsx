// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { render } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { Breakable, breakParts } from './format.tsx';

describe('Breakable', () => {
  test('breaks only after separators, keeping words whole', () => {
    expect(breakParts('sensor/temp')).toEqual(['sensor/', 'temp']);
    expect(breakParts('secret.create')).toEqual(['secret.', 'create']);
    expect(breakParts('a@example.com')).toEqual(['a@', 'example.', 'com']);
    expect(breakParts('BLYNK_AUTH_TOKEN')).toEqual(['BLYNK_', 'AUTH_', 'TOKEN']);
    expect(breakParts('https://x.io/a?b=1&c=2')).toEqual(['https:', '/', '/', 'x.', 'io/', 'a?', 'b=', '1&', 'c=', '2']);
  });

  test('a run longer than a word (a token) may break every 30 characters', () => {
    const token = 'a'.repeat(70);
    expect(breakParts(token).map((p) => p.length)).toEqual([30, 30, 10]);
  });

  test('renders the text unchanged, with <wbr> between the parts and the suffix at the end', () => {
    const { container } = render(<Breakable text="sensor/temp" suffix="," />);
    expect(container.textContent).toBe('sensor/temp,');
    expect(container.querySelectorAll('wbr')).toHaveLength(1);
  });
});
