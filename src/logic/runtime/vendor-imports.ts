/**
 * What a function takes from each vendor module, read from its source so that a function
 * importing `{ groupBy, sumBy }` from `vendor:lodash` gets a module of just those two
 * (esbuild tree-shakes lodash-es down to what they need), which the sandbox compiles in a
 * fraction of the time the whole library takes. Any other mention of the module (a default
 * or namespace import, a re-export, a dynamic `import()`, even a comment) gets the whole
 * module, so a misread can only cost time, never a missing export.
 */

/** `'all'`: the whole module; otherwise the exported names the function imports. */
export type VendorImport = 'all' | readonly string[];

const MODULE_LITERAL = /(['"])(vendor:[\w.-]+)\1/g;
/** `import { a, b as c } from` ending right before the module literal. */
const NAMED_IMPORT_BEFORE = /\bimport\s*\{([^{}]*)\}\s*from\s*$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** How far back an import clause may start (a long list of names). */
const LOOK_BEHIND = 2000;

function namedImports(before: string): string[] | undefined {
  const clause = NAMED_IMPORT_BEFORE.exec(before.slice(-LOOK_BEHIND));
  if (clause === null) return undefined;
  const names: string[] = [];
  for (const part of (clause[1] ?? '').split(',')) {
    const spec = part.trim();
    if (spec === '') continue;
    const [name, as, alias, ...rest] = spec.split(/\s+/);
    if (name === undefined || !IDENTIFIER.test(name) || name === 'default' || rest.length > 0) return undefined;
    if (as !== undefined && (as !== 'as' || alias === undefined || !IDENTIFIER.test(alias))) return undefined;
    names.push(name);
  }
  return names;
}

/** Every vendor module the code names, with the exports it imports from each. */
export function scanVendorImports(code: string): ReadonlyMap<string, VendorImport> {
  const found = new Map<string, VendorImport>();
  for (const match of code.matchAll(MODULE_LITERAL)) {
    const name = match[2]!;
    const names = namedImports(code.slice(0, match.index));
    const previous = found.get(name);
    if (names === undefined || previous === 'all') found.set(name, 'all');
    else found.set(name, [...new Set([...(previous ?? []), ...names])].sort());
  }
  return found;
}
