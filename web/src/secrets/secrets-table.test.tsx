// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { Secret } from '../api/types.ts';
import { secret } from '../test/fetch-mock.ts';
import { renderInScope } from '../test/render-app.tsx';
import { SecretsTable } from './secrets-table.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const COUNT = 200;
const secrets = Array.from({ length: COUNT }, (_, i) => secret(`MANY_${String(i).padStart(3, '0')}`) as unknown as Secret);
const bodyRows = () => within(screen.getByRole('table', { name: 'Cloud secrets' })).getAllByRole('row').slice(1);

describe('secrets table with many secrets', () => {
  test('renders the first screenful, then every row; the table always gives the full count', async () => {
    renderInScope(<SecretsTable secrets={secrets} onAction={() => undefined} />);
    const table = screen.getByRole('table', { name: 'Cloud secrets' });
    expect(table.getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    const first = bodyRows();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(COUNT);
    expect(first.map((r) => r.getAttribute('aria-rowindex'))).toEqual(first.map((_, i) => String(i + 2)));
    expect(within(first[0]!).getByRole('rowheader').textContent).toBe('MANY_000');

    await waitFor(() => expect(bodyRows()).toHaveLength(COUNT));
    const all = bodyRows();
    expect(all[COUNT - 1]!.getAttribute('aria-rowindex')).toBe(String(COUNT + 1));
    expect(within(all[COUNT - 1]!).getByRole('rowheader').textContent).toBe('MANY_199');
  });

  test('End reaches the last secret even before every row has been rendered', async () => {
    const { user } = renderInScope(<SecretsTable secrets={secrets} onAction={() => undefined} />);
    expect(bodyRows().length).toBeLessThan(COUNT);
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Actions for MANY_000');
    await user.keyboard('{End}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Actions for MANY_199');
    await user.keyboard('{PageUp}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Actions for MANY_189');
    await user.keyboard('{Home}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Actions for MANY_000');
  });
});
