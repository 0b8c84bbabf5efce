/**
 * The accepted shape of a webhook configuration (spec §7.3), before semantic checks.
 * Accepts what particle-cli, particle-api-js and form-encoded clients send: aliases,
 * booleans as `"true"`/`"false"`, scalar header/query/form values, `secrets` as a
 * comma-separated string.
 */
import { z } from 'zod';
import { HushError } from '../../errors/errors.ts';
import { secretNameList } from '../../secrets/secret-names-input.ts';

/** Read-only fields clients echo back from a list/get; silently dropped. */
export const IGNORED_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'created_at',
  'updated_at',
  'hookUrl',
  'integrationUrl',
  'logs',
  'counters',
  'errors',
  'ok',
  'mydevices',
  'access_token',
  'product_id',
  'last_delivery',
  'integration',
]);

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const stringMap = z.record(z.string(), scalarText);
const jsonObject = z.record(z.string(), z.json());

const wholeNumber = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const retrySchema = z.strictObject({
  type: z.enum(['particle', 'exponential']),
  max_attempts: wholeNumber.optional(),
  initial_delay_ms: wholeNumber.optional(),
  max_delay_ms: wholeNumber.optional(),
});

const positiveNumber = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

const authSchema = z.union([
  z.strictObject({ username: z.string(), password: scalarText.optional() }),
  z.strictObject({ user: z.string(), pass: scalarText.optional() }),
  z.strictObject({ bearer: z.string() }),
]);

export const webhookInputSchema = z.strictObject({
  integration_type: z.string().optional(),
  event: z.string().optional(),
  eventName: z.string().optional(),
  url: z.string().optional(),
  name: z.string().max(255).optional(),
  requestType: z.string().optional(),
  deviceID: z.string().optional(),
  deviceid: z.string().optional(),
  deviceId: z.string().optional(),
  json: z.union([z.string(), jsonObject]).optional(),
  form: stringMap.optional(),
  body: z.string().optional(),
  query: stringMap.optional(),
  headers: stringMap.optional(),
  auth: authSchema.optional(),
  noDefaults: bool.optional(),
  rejectUnauthorized: bool.optional(),
  responseTopic: z.string().optional(),
  errorResponseTopic: z.string().optional(),
  responseTemplate: z.union([z.string(), jsonObject]).optional(),
  unchunked: bool.optional(),
  dataUrlResponseEvent: bool.optional(),
  disabled: bool.optional(),
  template: z.string().optional(),
  parameters: z.array(z.json()).optional(),
  signing_secret: z.string().optional(),
  retry_schedule: retrySchema.optional(),
  max_per_second: positiveNumber.optional(),
  max_in_flight: wholeNumber.optional(),
  ordered: z.enum(['device']).optional(),
  secrets: z
    .union([
      secretNameList,
      z.string().transform((s) => s.split(',').map((n) => n.trim()).filter((n) => n !== '')),
    ])
    .optional(),
});

export type WebhookInput = z.output<typeof webhookInputSchema>;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(webhookInputSchema.shape));

const EXPECTED: Readonly<Record<string, string>> = {
  json: 'an object or a string',
  responseTemplate: 'an object or a string',
  form: 'an object of string values',
  query: 'an object of string values',
  headers: 'an object of string values',
  auth: 'an object {"username", "password"}, {"user", "pass"} or {"bearer"}',
  secrets: 'an array of secret names ("NAME" or {"name": "NAME"})',
  parameters: 'an array',
  name: 'a string of at most 255 characters',
  noDefaults: 'true or false',
  rejectUnauthorized: 'true or false',
  unchunked: 'true or false',
  dataUrlResponseEvent: 'true or false',
  disabled: 'true or false',
  signing_secret: 'the name of one of the selected secrets',
  retry_schedule: 'an object {"type": "particle"} or {"type": "exponential", "max_attempts", "initial_delay_ms", "max_delay_ms"} (whole numbers)',
  max_per_second: 'a number of requests per second',
  max_in_flight: 'a whole number of requests',
  ordered: '"device" (or left out)',
};

/** A short rendering of what the user sent, for error messages. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Deepest nesting of arrays/objects, measured without recursion. */
function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d + 1);
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

export const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_DEPTH = 32;

/**
 * Checks the raw input is a JSON object within the size and nesting limits, drops echoed
 * read-only fields and `null`s, refuses unknown fields, and applies the schema.
 * @throws HushError (`bad_request` / `validation_failed`)
 */
export function readWebhookInput(input: unknown): WebhookInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new HushError('bad_request', `integration configuration must be a JSON object, got ${preview(input)}`);
  }
  if (nestingDepth(input, MAX_DEPTH) > MAX_DEPTH) {
    throw new HushError('validation_failed', `integration configuration is nested deeper than ${MAX_DEPTH} levels`);
  }
  const size = Buffer.byteLength(JSON.stringify(input) ?? '', 'utf8');
  if (size > MAX_CONFIG_BYTES) {
    throw new HushError('validation_failed', `integration configuration is ${size} bytes; the limit is ${MAX_CONFIG_BYTES}`);
  }
  const kept: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (IGNORED_FIELDS.has(key) || value === null) continue;
    if (!KNOWN_FIELDS.has(key)) unknown.push(key);
    else Object.defineProperty(kept, key, { value, enumerable: true, writable: true });
  }
  if (unknown.length > 0) {
    throw new HushError('validation_failed', `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      details: { fields: unknown },
    });
  }
  const parsed = webhookInputSchema.safeParse(kept);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String) ?? [];
    const field = path[0] ?? 'configuration';
    const sent = path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), kept);
    const expected =
      EXPECTED[field] ?? (issue?.code === 'invalid_type' ? `a ${issue.expected}` : (issue?.message ?? 'a valid value'));
    throw new HushError('validation_failed', `${path.join('.') || field} must be ${expected}; got ${preview(sent)}`, {
      details: { field },
    });
  }
  return parsed.data;
}
