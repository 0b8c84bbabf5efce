/**
 * URL templates: checking them when a webhook is saved and rendering them per delivery.
 *
 * User-info rule: in `https://{{{USER}}}:{{{PASS}}}@host/`, the structure of the URL
 * (the `://`, the `:` between user and password, the `@`) is taken from the literal
 * template text only. Values a tag inserts into the user or password part are
 * percent-encoded (`encodeURIComponent`, so `@ : / % # ?` and spaces cannot break the URL
 * and a server decodes exactly the value); literal text there is kept as written, so a
 * user may still type `%40` by hand. Everywhere else in the URL tags insert their values
 * raw, as Particle does.
 */
import Mustache from 'mustache';
import type { TemplateSpans } from 'mustache';
import { HushError } from '../../errors/errors.ts';
import { renderWith } from './webhook-mustache-fns.ts';

/** Replaces lone surrogates, which `encodeURIComponent` refuses, with U+FFFD. */
function toWellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Percent-encodes a value for the user or password part of a URL. */
export function encodeUserinfo(value: string): string {
  return encodeURIComponent(toWellFormed(value));
}

/** The template text with every tag or section replaced by `1`: a stand-in that keeps ports and hosts valid. */
function probeText(tokens: TemplateSpans): string {
  return tokens
    .map((t) => (t[0] === 'text' ? t[1] : t[0] === '!' || t[0] === '=' ? '' : '1'))
    .join('');
}

/**
 * Returns a message when `template` cannot become an absolute http(s) URL, else undefined.
 * A URL that starts with a tag is accepted (its scheme is only known at send time).
 */
export function urlTemplateProblem(template: string, tokens: TemplateSpans): string | undefined {
  const first = tokens[0];
  if (first === undefined) return 'url must not be empty';
  if (first[0] !== 'text') return undefined;
  const lead = first[1];
  if (!/^https?:\/\//i.test(lead)) {
    const isSchemePrefix = tokens.length > 1 && 'https'.startsWith(lead.toLowerCase());
    return isSchemePrefix ? undefined : `url "${template}" must start with http:// or https://`;
  }
  let parsed: URL;
  try {
    parsed = new URL(probeText(tokens));
  } catch {
    return `url "${template}" is not a valid URL`;
  }
  if (parsed.hostname === '') return `url "${template}" has no host`;
  return undefined;
}

/** The host part of the template text for default names (`"<event> for <host>"`). */
export function urlHostLabel(template: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?([^/?#]*)/i.exec(template);
  const hostPort = match?.[1] ?? '';
  if (hostPort === '') return template;
  return hostPort.replace(/:\d+$/, '');
}

interface UrlTemplateParts {
  readonly prefix: string;
  readonly user: string;
  readonly password?: string;
  readonly rest: string;
}

/** Finds the user-info of a URL template from its literal text; undefined when it has none. */
export function splitUserinfo(template: string, tokens: TemplateSpans): UrlTemplateParts | undefined {
  // Delimiter changes or mustache's standalone-line trimming shift positions; skip the split then.
  const texts = tokens.filter((t) => t[0] === 'text');
  if (tokens.some((t) => t[0] === '=')) return undefined;
  if (texts.some((t) => template.slice(t[2], t[3]) !== t[1])) return undefined;

  const literalPositions = (chars: string, from: number, to: number): number[] => {
    const found: number[] = [];
    for (const t of texts) {
      for (let i = 0; i < t[1].length; i++) {
        const pos = t[2] + i;
        if (pos >= from && pos < to && chars.includes(t[1][i] ?? '')) found.push(pos);
      }
    }
    return found;
  };
  const schemeText = texts.find((t) => t[1].includes('://'));
  if (schemeText === undefined) return undefined;
  const authStart = schemeText[2] + schemeText[1].indexOf('://') + 3;
  const authEnd = literalPositions('/?#', authStart, template.length)[0] ?? template.length;
  const at = literalPositions('@', authStart, authEnd).at(-1);
  if (at === undefined) return undefined;
  const colon = literalPositions(':', authStart, at)[0];
  return {
    prefix: template.slice(0, authStart),
    user: template.slice(authStart, colon ?? at),
    password: colon === undefined ? undefined : template.slice(colon + 1, at),
    rest: template.slice(at + 1),
  };
}

/** A writer that percent-encodes every value a tag inserts (used for user-info parts only). */
class UserinfoWriter extends Mustache.Writer {
  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = super.unescapedValue(token, context);
    return (value == null ? value : encodeUserinfo(String(value))) as string;
  }

  override escapedValue(token: string[], context: Mustache.Context, config?: Mustache.RenderOptions): string {
    const value: unknown = super.escapedValue(token, context, config);
    return (value == null ? value : encodeUserinfo(String(value))) as string;
  }
}

/**
 * Renders a URL template and checks the result is an absolute http(s) URL.
 * @throws HushError when the rendered text is not such a URL (the message never quotes
 *   the rendered text, which may hold secret values).
 */
export function renderUrl(template: string, view: object, writer: Mustache.Writer): URL {
  const tokens = writer.parse(template) as TemplateSpans; // the writer's cache: parsed once per template
  const parts = splitUserinfo(template, tokens);
  let text: string;
  if (parts === undefined) {
    text = renderWith(writer, template, view);
  } else {
    const info = new UserinfoWriter();
    const password = parts.password === undefined ? '' : `:${renderWith(info, parts.password, view)}`;
    text = `${renderWith(writer, parts.prefix, view)}${renderWith(info, parts.user, view)}${password}@${renderWith(writer, parts.rest, view)}`;
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new HushError('validation_failed', `url template "${template}" did not render to a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HushError('validation_failed', `url template "${template}" did not render to an http(s) URL`);
  }
  return url;
}

/** Decodes a percent-encoded user-info part; malformed escapes are kept as written. */
export function decodeUserinfo(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
