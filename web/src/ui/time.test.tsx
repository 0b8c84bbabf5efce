// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { absoluteTime, relativeTime, Time } from './time.tsx';

const now = new Date('2026-12-04T19:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

afterEach(cleanup);

describe('relative times', () => {
  test('say how long ago, in the largest unit that fits', () => {
    expect(relativeTime(ago(10), now)).toBe('now');
    expect(relativeTime(ago(3 * 60), now)).toBe('3 minutes ago');
    expect(relativeTime(ago(5 * 3600), now)).toBe('5 hours ago');
    expect(relativeTime(ago(86_400), now)).toBe('yesterday');
    expect(relativeTime(ago(10 * 86_400), now)).toBe('10 days ago');
    expect(relativeTime(ago(400 * 86_400), now)).toBe('last year');
  });

  test('and how long until a time to come (an expiry)', () => {
    expect(relativeTime(ago(-3 * 86_400), now)).toBe('in 3 days');
  });

  test('the absolute time has seconds and a time zone', () => {
    expect(absoluteTime(new Date('2026-12-04T19:11:09Z'))).toMatch(/:11:09.*(UTC|GMT|[A-Z]{2,5}|[+-]\d)/);
  });
});

describe('<Time>', () => {
  test('shows how long ago, with the absolute time as title and focus tip', () => {
    const iso = new Date(Date.now() - 3 * 60_000).toISOString();
    const { container } = render(<Time iso={iso} focusable />);
    const el = container.querySelector('time')!;
    expect(el.textContent).toBe('3 minutes ago');
    expect(el.getAttribute('title')).toBe(absoluteTime(new Date(iso)));
    expect(el.getAttribute('data-tip')).toBe(el.getAttribute('title'));
    expect(el.getAttribute('datetime')).toBe(iso);
    expect(el.tabIndex).toBe(0);
  });

  test('precise: the absolute time to the second is the text, the UTC instant the title', () => {
    const iso = '2026-12-04T19:11:09.123Z';
    const { container } = render(<Time iso={iso} precise />);
    const el = container.querySelector('time')!;
    expect(el.textContent).toBe(absoluteTime(new Date(iso)));
    expect(el.getAttribute('title')).toBe(iso);
    expect(el.hasAttribute('tabindex')).toBe(false);
  });

  test('no time: the "never" text', () => {
    const { container } = render(<Time iso={null} never="Never" />);
    expect(container.textContent).toBe('Never');
  });
});
