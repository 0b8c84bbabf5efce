import { z } from 'zod';

type Json = Record<string, unknown>;

const COMPONENT = '#/components/schemas/';
/** Where zod puts schemas that several others share or that recurse (`z.json()`). */
const SHARED = '__shared';

/** Rewrites `$ref`s and drops per-schema `$schema`/`$id` (one document, one dialect). */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$schema' || k === '$id') continue;
    if (k === '$ref' && typeof v === 'string') {
      const shared = v.match(new RegExp(`^${COMPONENT}${SHARED}#/\\$defs/(.+)$`));
      out[k] = shared ? `${COMPONENT}Shared_${shared[1]}` : v;
    } else {
      out[k] = tidy(v);
    }
  }
  return out;
}

/**
 * Turns the zod schemas routes declare into `components.schemas`, each schema once (by
 * identity) under a stable name, with `$ref`s between them. JSON Schema of the *input*
 * side (what a client sends: before defaults and transforms), dialect 2020-12 as
 * OpenAPI 3.1 uses.
 */
export class SchemaComponents {
  private readonly registry = z.registry<{ id: string }>();
  private readonly ids = new Map<z.ZodType, string>();
  private readonly taken = new Set<string>();

  /** A `$ref` to the schema's component, registering it under `name` (made unique) on first use. */
  ref(schema: z.ZodType, name: string): Json {
    let id = this.ids.get(schema);
    if (id === undefined) {
      id = name;
      for (let n = 2; this.taken.has(id); n++) id = `${name}${n}`;
      this.taken.add(id);
      this.ids.set(schema, id);
      this.registry.add(schema, { id });
    }
    return { $ref: `${COMPONENT}${id}` };
  }

  /** Every registered schema (and those they share) as JSON Schema. */
  render(): Record<string, Json> {
    if (this.ids.size === 0) return {};
    const { schemas } = z.toJSONSchema(this.registry, { io: 'input', unrepresentable: 'any', uri: (id) => `${COMPONENT}${id}` });
    const out: Record<string, Json> = {};
    for (const [id, schema] of Object.entries(schemas)) {
      if (id === SHARED) {
        for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>)) out[`Shared_${name}`] = tidy(def) as Json;
      } else {
        out[id] = tidy(schema) as Json;
      }
    }
    return out;
  }
}

/** One query parameter per key of an object schema (inline schemas: query values are flat). */
export function queryParameters(schema: z.ZodType): Json[] {
  if (!(schema instanceof z.ZodObject)) throw new Error('a route query schema must be a z.object');
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: 'query',
    required: !field.safeParse(undefined).success,
    schema: tidy(z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' })),
  }));
}

/** Whether a body must be sent: the route parses a missing body as `{}`. */
export const bodyRequired = (schema: z.ZodType): boolean => !schema.safeParse({}).success;
