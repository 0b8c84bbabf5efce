/**
 * How a secret value really appears in outgoing text: whole headers, URLs, JSON bodies and
 * wrapped base64, built with the platform's own encoders. Tests and the benchmark mask these
 * and check that no listed pattern survives; the masker itself never uses this file.
 */

/** One wire form of a value; `wrapped` forms carry line breaks inside the encoded text. */
export interface WireSample {
  readonly name: string;
  readonly text: string;
  readonly wrapped?: boolean;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
const wrap = (s: string, eol: string): string => s.replace(/.{76}(?=.)/g, (line) => line + eol);

function htmlEscape(s: string, apos: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", apos);
}

const numericEntities = (s: string, hex: boolean): string =>
  [...s]
    .map((ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x80 && !'&<>"\''.includes(ch)) return ch;
      return hex ? `&#x${cp.toString(16)};` : `&#${cp};`;
    })
    .join('');

/** The wire forms of `value` (`filler` pads wrapped base64 so that the value crosses line breaks). */
export function wireSamples(value: string, filler = 'x'.repeat(50)): WireSample[] {
  const out: WireSample[] = [{ name: 'literal', text: value }];
  for (const prefix of ['', 'u', 'us', 'user:', 'admin:']) {
    for (const suffix of ['', '!', '!?']) {
      const data = prefix + value + suffix;
      out.push({ name: `base64 ${prefix.length}+${suffix.length}`, text: b64(data) });
      out.push({ name: `base64url ${prefix.length}+${suffix.length}`, text: b64url(data) });
    }
  }
  out.push({ name: 'basic header', text: `Authorization: Basic ${b64(`user:${value}`)}` });
  for (const eol of ['\r\n', '\n']) {
    for (const cut of [0, 1, 2, 17, 38]) {
      const data = filler.slice(0, filler.length - cut) + value + filler;
      out.push({ name: `mime ${JSON.stringify(eol)} ${cut}`, text: wrap(b64(data), eol), wrapped: true });
    }
  }
  const hex = Buffer.from(value, 'utf8').toString('hex');
  out.push({ name: 'hex', text: hex }, { name: 'HEX', text: hex.toUpperCase() });
  const json = JSON.stringify(value);
  out.push(
    { name: 'json', text: JSON.stringify({ password: value }) },
    { name: 'json twice', text: JSON.stringify({ body: JSON.stringify({ password: value }) }) },
    { name: 'json slash', text: json.replaceAll('/', '\\/') },
    {
      name: 'json ascii',
      text: json.replace(/[^\u0000-\u007f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')),
    },
  );
  const component = encodeURIComponent(value);
  const url = new URL('https://api.example.com/hook');
  url.username = 'user';
  url.password = value;
  url.searchParams.set('token', value);
  out.push(
    { name: 'percent', text: `?key=${component}` },
    { name: 'percent lower', text: component.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()) },
    { name: 'percent plus', text: component.replaceAll('%20', '+') },
    { name: 'form', text: new URLSearchParams({ token: value }).toString() },
    { name: 'url', text: url.href },
    { name: 'html', text: `<input value="${htmlEscape(value, '&#39;')}">` },
    { name: 'xml', text: `<v a='${htmlEscape(value, '&apos;')}'/>` },
    { name: 'html dec', text: numericEntities(value, false) },
    { name: 'html hex', text: numericEntities(value, true) },
  );
  return out;
}
