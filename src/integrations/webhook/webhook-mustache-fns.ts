/**
 * Thin, safe wrappers around mustache.js for webhook templates.
 *
 * - Rendering uses a private `Writer` with a bounded template cache, so user templates
 *   never accumulate in mustache's process-wide cache; `parseTemplate` uses a fresh one.
 * - `{{x}}` escapes exactly `& < > " '` (Particle's documented set); mustache's default
 *   also escapes `/`, `` ` `` and `=`, which would mangle event names inside URLs.
 * - Views are built from objects without `Object.prototype` so a template cannot reach
 *   `constructor`, `__proto__` and friends of untrusted event or response data.
 */
import Mustache from 'mustache';
import type { TemplateSpans } from 'mustache';

export type TemplateToken = TemplateSpans[number];

/** A value mustache may look up: JSON data rebuilt on safe prototypes. */
export type ViewValue = string | number | boolean | null | undefined | object;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes the five characters Particle documents for `{{x}}`. */
export function htmlEscape(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Prototypes for view objects: nothing inherited but `toString`, which mustache needs
 * when a whole object or array is inserted (`{{obj}}`, `{{list}}`).
 */
const SAFE_OBJECT_PROTO: object = Object.freeze(
  Object.create(null, { toString: { value: () => '[object Object]' } }),
);
const SAFE_ARRAY_PROTO: object = Object.freeze(
  Object.create(null, {
    toString: {
      value(this: unknown[]) {
        return Array.prototype.join.call(this, ',');
      },
    },
  }),
);

/** Deeper data is cut off: it is never useful in a template and recursion must stay bounded. */
const MAX_VIEW_DEPTH = 64;

/** An empty view object; add properties with `defineViewProperty`. */
export function createView(): Record<string, ViewValue> {
  return Object.create(SAFE_OBJECT_PROTO) as Record<string, ViewValue>;
}

/** Defines an own property computed on first read (then kept); a later definition replaces it. */
export function defineLazyViewProperty(view: Record<string, ViewValue>, key: string, compute: () => ViewValue): void {
  let value: ViewValue;
  let done = false;
  Object.defineProperty(view, key, {
    get() {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    },
    enumerable: true,
    configurable: true,
  });
}

/** Defines an own property (plain assignment would treat `__proto__` specially). */
export function defineViewProperty(view: Record<string, ViewValue>, key: string, value: ViewValue): void {
  if (key === '__proto__') return; // would let data replace mustache's lookup cache prototype
  Object.defineProperty(view, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Rebuilds parsed JSON on safe prototypes so templates see only the data itself. */
export function toViewValue(value: unknown, depth = 0): ViewValue {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint'
      ? undefined
      : (value as ViewValue);
  }
  if (depth >= MAX_VIEW_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => toViewValue(v, depth + 1));
    Object.setPrototypeOf(items, SAFE_ARRAY_PROTO);
    return items;
  }
  const view = createView();
  for (const [k, v] of Object.entries(value)) defineViewProperty(view, k, toViewValue(v, depth + 1));
  return view;
}

/**
 * A cheap test that rules out most text that is not JSON, so plain event data (`22.5°C`,
 * `on`) does not pay for a thrown exception on every render.
 */
function mayBeJson(text: string): boolean {
  const t = text.trim();
  const first = t.charCodeAt(0);
  const last = t.charCodeAt(t.length - 1);
  if (first === 0x7b) return last === 0x7d; // {...}
  if (first === 0x5b) return last === 0x5d; // [...]
  if (first === 0x22) return last === 0x22 && t.length > 1; // "..."
  if (first === 0x2d || (first >= 0x30 && first <= 0x39)) return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t);
  return t === 'true' || t === 'false' || t === 'null';
}

/** Parses JSON text into a view value; `undefined` when the text is not JSON. */
export function parseJsonView(text: string | undefined): ViewValue {
  if (text === undefined || !mayBeJson(text)) return undefined;
  try {
    return toViewValue(JSON.parse(text));
  } catch {
    return undefined; // not JSON (or absurdly deep): simply no extra variables
  }
}

/** Parses a template with a private writer; throws mustache's own `Error` on bad syntax. */
export function parseTemplate(text: string): TemplateSpans {
  return new Mustache.Writer().parse(text) as TemplateSpans;
}

/** Parsed templates kept by the shared writer; the set of configured templates is small. */
const TEMPLATE_CACHE_SIZE = 2000;

/**
 * A writer whose template cache is bounded: parsed templates (configuration text, never
 * rendered values) are reused across deliveries; when full, the cache starts over.
 */
function boundedWriter(): Mustache.Writer {
  const writer = new Mustache.Writer();
  const cache = new Map<string, string>();
  const templateCache: Mustache.TemplateCache = {
    get: (key) => cache.get(key),
    set(key, value) {
      if (cache.size >= TEMPLATE_CACHE_SIZE) cache.clear();
      cache.set(key, value);
    },
    clear: () => cache.clear(),
  };
  Object.defineProperty(writer, 'templateCache', { value: templateCache, writable: true });
  return writer;
}

const sharedWriter = boundedWriter();

/** The writer for deliveries: rendering is synchronous, so one writer (and its bounded cache) serves all. */
export function createWriter(): Mustache.Writer {
  return sharedWriter;
}

/**
 * Renders `text` against `view` (an object or a `Mustache.Context`). `escape` applies to
 * `{{x}}` only; event names (topics) pass `String` because HTML escaping has no meaning there.
 */
export function renderWith(
  writer: Mustache.Writer,
  text: string,
  view: object | Mustache.Context,
  escape: (value: unknown) => string = htmlEscape,
): string {
  return writer.render(text, view, undefined, { escape });
}

/** Sub-tokens of a section token (`#` or `^`). */
export function sectionChildren(token: TemplateToken): TemplateSpans {
  const children = token[4];
  return Array.isArray(children) ? (children as TemplateSpans) : [];
}

/**
 * Every variable name a template looks up (values, raw values, sections, inverted
 * sections), recursively. Partials are reported with a leading `>`.
 */
export function templateTagNames(tokens: TemplateSpans): string[] {
  const names: string[] = [];
  const walk = (list: TemplateSpans): void => {
    for (const token of list) {
      const type = token[0];
      if (type === 'name' || type === '&' || type === '#' || type === '^') names.push(token[1]);
      if (type === '>') names.push(`>${token[1]}`);
      if (type === '#' || type === '^') walk(sectionChildren(token));
    }
  };
  walk(tokens);
  return names;
}

/** The root variable of a dotted name: `a.b.0` → `a`. */
export function rootName(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
