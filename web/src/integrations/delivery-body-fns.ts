/**
 * How the delivery log shows a request or response body: JSON pretty-printed, a form body
 * (`application/x-www-form-urlencoded`) decoded to one `name = value` line per field, and
 * anything else as it is. Bodies arrive masked (`[[SENSITIVE]]`); decoding only changes
 * how the masked text is written, and a body that does not parse is shown unchanged.
 */
export interface ShownBody {
  readonly kind: 'json' | 'form' | 'text';
  readonly text: string;
}

const headerValue = (headers: Readonly<Record<string, string>> | undefined, name: string): string =>
  Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';

export function showBody(body: string | null | undefined, headers?: Readonly<Record<string, string>>): ShownBody {
  const text = body ?? '';
  const type = headerValue(headers, 'content-type').toLowerCase();
  const trimmed = text.trim();
  if (type.includes('json') || ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !type.includes('form'))) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      return { kind: 'text', text };
    }
  }
  if (type.includes('application/x-www-form-urlencoded') && text !== '') {
    try {
      const lines = text.split('&').map((pair) => {
        const at = pair.indexOf('=');
        const [k, v] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
        return `${decodeURIComponent(k.replace(/\+/g, ' '))} = ${decodeURIComponent(v.replace(/\+/g, ' '))}`;
      });
      return { kind: 'form', text: lines.join('\n') };
    } catch {
      return { kind: 'text', text }; // a malformed escape: as it came
    }
  }
  return { kind: 'text', text };
}
