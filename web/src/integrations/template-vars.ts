/**
 * Which template variables of a webhook draft will be empty when it is sent (issue #16
 * item 3): names that are neither a selected secret, a predefined Particle variable, nor a
 * field of the example event data. Templates are read with the server's mustache parser.
 */
import { parseTemplate, rootName, type TemplateToken } from '../../../src/integrations/webhook/webhook-mustache-fns.ts';
import { BUILTIN_VARIABLE_NAMES } from '../../../src/integrations/webhook/webhook-variable-names.ts';
import type { WebhookDraft } from './webhook-draft.ts';

export interface TemplateVar {
  /** The root name (`a` for `{{a.b}}`). */
  readonly name: string;
  /** As written: `{{a.b}}`, `{{{X}}}` (also for `{{&X}}`), `{{#list}}`. */
  readonly tag: string;
}

const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_VARIABLE_NAMES);
const OPENERS: Readonly<Record<string, string>> = { name: '{{', '&': '{{{', '#': '{{#', '^': '{{^' };

/**
 * The variables a template reads from the delivery's view, once each. Names inside a
 * section are left out: they may be fields of the section's item rather than of the view.
 * A template that does not parse has none here (the server names its error on save).
 */
export function templateVars(text: string): TemplateVar[] {
  let tokens: readonly TemplateToken[];
  try {
    tokens = parseTemplate(text);
  } catch {
    return [];
  }
  const out: TemplateVar[] = [];
  for (const t of tokens) {
    const opener = OPENERS[t[0]];
    if (opener === undefined || t[1] === '.') continue;
    const tag = `${opener}${t[1]}${opener === '{{{' ? '}}}' : '}}'}`;
    out.push({ name: rootName(t[1]), tag });
  }
  return out;
}

/** The draft's request templates (the ones that see secrets and event fields). */
export function requestTemplates(d: WebhookDraft): string[] {
  return [
    d.url, d.authUsername, d.authPassword,
    ...(d.bodyKind === 'json' ? [d.jsonText] : d.bodyKind === 'body' ? [d.bodyText] : []),
    ...(d.bodyKind === 'form' ? d.formPairs : []).flatMap((p) => [p.key, p.value]),
    ...[...d.queryPairs, ...d.headerPairs].flatMap((p) => [p.key, p.value]),
    d.responseTopic, d.errorResponseTopic,
  ];
}

/** Top-level field names of example event data that is a JSON object (none otherwise). */
export function exampleFields(exampleData: string): string[] {
  try {
    const v: unknown = JSON.parse(exampleData);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
  } catch {
    return [];
  }
}

/** Variables of the draft that nothing defines, once each, in order of appearance. */
export function unknownTemplateVars(d: WebhookDraft, exampleData: string): TemplateVar[] {
  const known = new Set([...d.secrets, ...exampleFields(exampleData)]);
  const seen = new Map<string, TemplateVar>();
  for (const text of requestTemplates(d)) {
    for (const v of templateVars(text)) {
      if (!BUILTINS.has(v.name) && !known.has(v.name) && !seen.has(v.name)) seen.set(v.name, v);
    }
  }
  return [...seen.values()];
}
