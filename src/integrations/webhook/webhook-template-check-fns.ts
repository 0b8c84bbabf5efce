/**
 * Finds every mustache template of a webhook configuration and checks it: it must parse,
 * must not use partials, and may refer to the owner's secrets only when they are selected
 * (request fields) or not at all (response topics and templates, which end up in events
 * that devices and subscribers see).
 */
import { HushError } from '../../errors/errors.ts';
import { SECRET_NAME_PATTERN } from '../../secrets/secret-name-fns.ts';
import { parseTemplate, rootName, templateTagNames } from './webhook-mustache-fns.ts';
import type { JsonValue, WebhookConfig } from './webhook-types.ts';
import { BUILTIN_VARIABLE_NAMES } from './webhook-vars-fns.ts';

export interface TemplatedField {
  /** Where the template sits, for messages: `url`, `headers.X-Key`, `json.a[0]`, `headers (name "X")`. */
  readonly field: string;
  readonly text: string;
  /** `request` templates see secrets; `response` ones (topics, responseTemplate) never do. */
  readonly usage: 'request' | 'response';
}

function jsonTemplates(value: JsonValue, path: string, usage: TemplatedField['usage'], out: TemplatedField[]): void {
  if (typeof value === 'string') {
    out.push({ field: path, text: value, usage });
  } else if (Array.isArray(value)) {
    value.forEach((item: JsonValue, i: number) => jsonTemplates(item, `${path}[${i}]`, usage, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push({ field: `${path} (key "${key}")`, text: key, usage });
      jsonTemplates(item, `${path}.${key}`, usage, out);
    }
  }
}

function mapTemplates(map: Readonly<Record<string, string>> | undefined, name: string, out: TemplatedField[]): void {
  for (const [key, value] of Object.entries(map ?? {})) {
    out.push({ field: `${name} (name "${key}")`, text: key, usage: 'request' });
    out.push({ field: `${name}.${key}`, text: value, usage: 'request' });
  }
}

/** Every templated string of `config`, in a stable order. */
export function templatedFields(config: WebhookConfig): TemplatedField[] {
  const out: TemplatedField[] = [{ field: 'url', text: config.url, usage: 'request' }];
  mapTemplates(config.headers, 'headers', out);
  mapTemplates(config.query, 'query', out);
  mapTemplates(config.form, 'form', out);
  if (config.json !== undefined) jsonTemplates(config.json, 'json', 'request', out);
  if (config.body !== undefined) out.push({ field: 'body', text: config.body, usage: 'request' });
  if (config.auth?.kind === 'basic') {
    out.push({ field: 'auth.username', text: config.auth.username, usage: 'request' });
    out.push({ field: 'auth.password', text: config.auth.password, usage: 'request' });
  } else if (config.auth?.kind === 'bearer') {
    out.push({ field: 'auth.bearer', text: config.auth.token, usage: 'request' });
  }
  out.push({ field: 'responseTopic', text: config.responseTopic, usage: 'response' });
  out.push({ field: 'errorResponseTopic', text: config.errorResponseTopic, usage: 'response' });
  if (config.responseTemplate !== undefined) {
    jsonTemplates(config.responseTemplate, 'responseTemplate', 'response', out);
  }
  return out;
}

const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_VARIABLE_NAMES);

/** Root names of `text`'s tags that look like secret names (UPPER_SNAKE, not predefined). */
function secretLikeNames(names: readonly string[]): string[] {
  return names.map(rootName).filter((n) => SECRET_NAME_PATTERN.test(n) && !BUILTINS.has(n));
}

/**
 * Parses every template of `config` and checks its secret references.
 * @throws HushError (`validation_failed`) naming the field and the parser's message.
 */
export function checkTemplates(config: WebhookConfig, knownSecrets: ReadonlySet<string>): void {
  const selected = new Set(config.secrets);
  for (const { field, text, usage } of templatedFields(config)) {
    let names: string[];
    try {
      names = templateTagNames(parseTemplate(text));
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new HushError('validation_failed', `invalid template in ${field}: ${reason}`, { details: { field } });
    }
    const partial = names.find((n) => n.startsWith('>'));
    if (partial !== undefined) {
      throw new HushError('validation_failed', `${field} uses the partial {{${partial}}}, which webhooks do not support`, {
        details: { field },
      });
    }
    for (const name of secretLikeNames(names)) {
      if (!knownSecrets.has(name)) continue;
      if (usage === 'response') {
        throw new HushError(
          'validation_failed',
          `${field} refers to secret ${name}; secrets cannot be used in response topics or response templates`,
          { details: { field, secret: name } },
        );
      }
      if (!selected.has(name)) {
        throw new HushError('validation_failed', `template refers to secret ${name} which is not selected for this integration`, {
          details: { field, secret: name },
        });
      }
    }
  }
}

/** Selected secrets that some request template actually refers to. */
export function referencedSecretNames(config: WebhookConfig): string[] {
  const selected = new Set(config.secrets);
  const used = new Set<string>();
  for (const { text, usage } of templatedFields(config)) {
    if (usage !== 'request') continue;
    try {
      for (const name of templateTagNames(parseTemplate(text))) {
        const root = rootName(name);
        if (selected.has(root)) used.add(root);
      }
    } catch {
      // a stored config always parses; an unparsable one refers to nothing
    }
  }
  return config.secrets.filter((n) => used.has(n));
}
