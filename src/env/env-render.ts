import type { EnvChange, EnvDiff, EnvFrom, EnvLayer, EnvState, EnvTarget, EnvValues, InheritedValue } from './env-types.ts';

type Layers = ReadonlyMap<string, EnvLayer>;

/** What a scope inherits: its parents' values, a more specific parent overriding a more general one. */
export function inheritedOf(parents: EnvTarget['parents'], valuesOf: (layer: string) => EnvValues | null): Record<string, InheritedValue> {
  const out: Record<string, InheritedValue> = {};
  for (const p of parents) {
    for (const [key, value] of Object.entries(valuesOf(p.layer) ?? {})) out[key] = { from: p.from as EnvFrom, value };
  }
  return out;
}

/** Own values over inherited ones: the flat environment of a scope. */
export function flatten(own: EnvValues, inherited: Readonly<Record<string, InheritedValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inherited)) out[k] = v.value;
  return Object.assign(out, own);
}

const latestOf = (layers: Layers) => (layer: string) => layers.get(layer)?.own ?? null;
const publishedOf = (layers: Layers) => (layer: string) => layers.get(layer)?.snapshot ?? null;

/**
 * The state of a scope: `latest` = its staged values and its parents' staged values;
 * `last_snapshot` = its rolled-out values and its parents' rolled-out values (null while
 * no scope along the chain was ever rolled out).
 */
export function stateOf(t: EnvTarget, layers: Layers): EnvState {
  const me = layers.get(t.layer);
  const anyRollout = [...t.parents.map((p) => p.layer), t.layer].some((l) => layers.get(l)?.snapshot);
  return {
    latest: {
      own: me?.own ?? {}, inherited: inheritedOf(t.parents, latestOf(layers)),
      createdAt: me?.createdAt ?? null, updatedAt: me?.updatedAt ?? null, createdBy: me?.createdBy ?? null, updatedBy: me?.updatedBy ?? null,
    },
    lastSnapshot: anyRollout
      ? { own: me?.snapshot ?? {}, inherited: inheritedOf(t.parents, publishedOf(layers)), rolloutAt: me?.rolloutAt ?? null, rolloutBy: me?.rolloutBy ?? null }
      : null,
  };
}

/** The flat environment of a scope from its latest (staged) values, or from what was rolled out. */
export function renderOf(t: EnvTarget, layers: Layers, source: 'latest' | 'snapshot'): Record<string, string> {
  const pick = source === 'latest' ? latestOf(layers) : publishedOf(layers);
  return flatten(pick(t.layer) ?? {}, inheritedOf(t.parents, pick));
}

/**
 * What starting a rollout at this scope changes in its flat environment: from what was
 * rolled out (its own and its parents') to its latest own values over its parents'
 * rolled-out values. A parent's staged values are rolled out from the parent.
 */
export function reviewOf(t: EnvTarget, layers: Layers): EnvDiff {
  const parentsLive = inheritedOf(t.parents, publishedOf(layers));
  return diff(flatten(layers.get(t.layer)?.snapshot ?? {}, parentsLive), flatten(layers.get(t.layer)?.own ?? {}, parentsLive));
}

export function diff(before: EnvValues, after: EnvValues): EnvDiff {
  const changes: EnvChange[] = [];
  const unchanged: Record<string, string> = {};
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = Object.hasOwn(before, key) ? before[key] : undefined;
    const a = Object.hasOwn(after, key) ? after[key] : undefined;
    if (b === undefined && a !== undefined) changes.push({ op: 'Added', key, after: a });
    else if (b !== undefined && a === undefined) changes.push({ op: 'Removed', key, before: b });
    else if (b !== undefined && a !== undefined && a !== b) changes.push({ op: 'Changed', key, before: b, after: a });
    else if (b !== undefined) unchanged[key] = b;
  }
  return { changes, unchanged };
}
