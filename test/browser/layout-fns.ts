/**
 * Measurements of what Chromium laid out: the lines an element's text was broken into,
 * the line breaks that fall inside a word, and boxes that leave the viewport.
 */
import type { Page } from 'playwright-core';

/** For each element matching `selector`, its text as rendered: one string per line box. */
export async function renderedLines(page: Page, selector: string): Promise<string[][]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const lines: { top: number; text: string }[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < (node.textContent ?? '').length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const top = Math.round(range.getBoundingClientRect().top);
          const line = lines.find((l) => Math.abs(l.top - top) < 4);
          if (line) line.text += node.textContent![i];
          else lines.push({ top, text: node.textContent![i]! });
        }
      }
      return lines.sort((a, b) => a.top - b.top).map((l) => l.text.trim()).filter(Boolean);
    }),
  );
}

/**
 * The line breaks inside a word in the visible elements matching `selector`, as
 * `before|after` (empty when every break is at a space, after a separator `/ . @ _ : - ? & = + ,`,
 * or between two text nodes: a name and its badge, or the pieces Breakable cut a token
 * of 30+ characters into).
 */
export async function midWordBreaks(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) => {
    const out: string[] = [];
    for (const el of els) {
      if (!(el as HTMLElement).offsetParent) continue;
      // Every visible character with its text node and the top of its line box.
      const chars: { ch: string; node: Node; top: number }[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width === 0 && rect.height === 0) continue;
          chars.push({ ch: text[i]!, node, top: Math.round(rect.top) });
        }
      }
      for (let i = 1; i < chars.length; i++) {
        const [prev, cur] = [chars[i - 1]!, chars[i]!];
        if (Math.abs(cur.top - prev.top) < 4 || /\s/.test(prev.ch) || /\s/.test(cur.ch)) continue;
        if (/[/.@_:?&=+,-]/.test(prev.ch) || prev.node !== cur.node) continue;
        const text = chars.map((c) => c.ch).join('');
        out.push(`${text.slice(Math.max(0, i - 12), i)}|${text.slice(i, i + 12)}`);
      }
    }
    return out;
  });
}

/** The visible elements matching `selector` whose box pokes out of the viewport's width, described. */
export async function outsideViewport(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.left < 0 || box.right > document.documentElement.clientWidth + 0.5)
      .map(({ el, box }) => `${el.getAttribute('aria-label') ?? el.textContent?.trim()} at ${Math.round(box.left)}–${Math.round(box.right)}`),
  );
}

/** How wide the document is (more than the viewport when the page scrolls sideways). */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
