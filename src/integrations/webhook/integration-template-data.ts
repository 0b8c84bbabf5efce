/**
 * The gallery's templates are data: one JSON file per target in `src/integrations/templates`,
 * checked here once when the module loads (a malformed file fails the start, and the
 * template unit test, rather than a user's form). A file names its form fields and the
 * webhook they become, where `<<field>>` stands for a field's answer (a secret field's
 * answer becomes the `{{{NAME}}}` reference, never a value).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const TEMPLATES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');

const fieldSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  type: z.enum(['text', 'select', 'secret', 'url']),
  required: z.boolean(),
  options: z.array(z.strictObject({ value: z.string().min(1), label: z.string().min(1) })).optional(),
  default: z.string().optional(),
  help: z.string().optional(),
  /** Text fields: the whole answer must match (anchored here). */
  pattern: z.string().optional(),
  /** What `pattern` asks for, in the error message ("a virtual pin such as V0"). */
  expected: z.string().optional(),
  transform: z.enum(['uppercase', 'no-trailing-slash']).optional(),
});

/** The event-name field every template starts with, written `"event"` in a file. */
const EVENT_FIELD: z.infer<typeof fieldSchema> = {
  name: 'event', label: 'Event name', type: 'text', required: true,
  help: 'Events whose name starts with this text trigger the integration',
};
const SECRET_HELP = 'Pick one of your secrets; its value is inserted at send time';

const fileSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  description: z.string().min(1),
  docs: z.url({ protocol: /^https$/ }),
  fields: z.array(z.union([z.literal('event'), fieldSchema])).min(1),
  webhook: z.record(z.string(), z.unknown()),
  /** Keys dropped from `webhook` when a field's answer is one of `in` (a bodyless method). */
  omitWhen: z.strictObject({ field: z.string(), in: z.array(z.string()), keys: z.array(z.string()) }).optional(),
});

export type TemplateFieldData = z.infer<typeof fieldSchema>;
export interface TemplateData extends Omit<z.infer<typeof fileSchema>, 'fields'> {
  readonly fields: readonly TemplateFieldData[];
}

function parseFile(file: string): TemplateData {
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')));
  if (!parsed.success) throw new Error(`integration template ${file}: ${z.prettifyError(parsed.error)}`);
  const data = parsed.data;
  if (`${data.slug}.json` !== file) throw new Error(`integration template ${file}: slug "${data.slug}" must match the file name`);
  const fields = data.fields.map((f) => (f === 'event' ? EVENT_FIELD : f.type === 'secret' ? { help: SECRET_HELP, ...f } : f));
  for (const f of fields) {
    if (f.type === 'select' && (f.options ?? []).length === 0) throw new Error(`integration template ${file}: select ${f.name} has no options`);
    if (f.pattern !== undefined) new RegExp(`^(?:${f.pattern})$`); // a bad pattern fails here, at load
  }
  if (!fields.some((f) => f.type === 'secret')) throw new Error(`integration template ${file}: no secret field`);
  fillPlaceholders(data.webhook, (name) => {
    if (!fields.some((f) => f.name === name)) throw new Error(`integration template ${file}: <<${name}>> names no field`);
    return '';
  });
  return { ...data, fields };
}

/** Every template file, in gallery order (the three first templates lead, then by name). */
export function loadTemplateData(): TemplateData[] {
  const lead = ['blynk', 'datacake', 'http-bearer'];
  const rank = (slug: string) => (lead.includes(slug) ? lead.indexOf(slug) : lead.length);
  return fs
    .readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map(parseFile)
    .sort((a, b) => rank(a.slug) - rank(b.slug) || a.name.localeCompare(b.name, 'en'));
}

const PLACEHOLDER = /<<([a-z][a-z0-9_]*)>>/g;

/** A copy of `value` with every `<<name>>` in its strings and keys replaced by `answer(name)`. */
export function fillPlaceholders(value: unknown, answer: (name: string) => string): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (_, name: string) => answer(name));
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, answer));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fillPlaceholders(k, answer) as string, fillPlaceholders(v, answer)]));
  }
  return value;
}
