import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanVendorImports } from './vendor-imports.ts';

describe('scanVendorImports', () => {
  it('lists the names of named imports, merged and sorted per module', () => {
    const found = scanVendorImports(`
      import { sumBy, groupBy as group } from 'vendor:lodash';
      import {
        format,
        addDays,
      } from "vendor:date-fns";
      import { groupBy } from 'vendor:lodash';
      export default function main() {}`);
    expect(Object.fromEntries(found)).toEqual({ 'vendor:lodash': ['groupBy', 'sumBy'], 'vendor:date-fns': ['addDays', 'format'] });
  });

  it('takes the whole module for default, namespace, mixed and dynamic imports, re-exports and other mentions', () => {
    for (const code of [
      `import _ from 'vendor:lodash';`,
      `import * as _ from 'vendor:lodash';`,
      `import _, { map } from 'vendor:lodash';`,
      `import { default as _ } from 'vendor:lodash';`,
      `export { map } from 'vendor:lodash';`,
      `const m = await import('vendor:lodash');`,
      `import { map } from 'vendor:lodash'; // see also 'vendor:lodash'`,
    ]) {
      expect(scanVendorImports(code).get('vendor:lodash'), code).toBe('all');
    }
  });

  it('names a module that is not a vendor module too, for the loader to refuse', () => {
    expect(scanVendorImports(`import { x } from 'vendor:left-pad';`).get('vendor:left-pad')).toEqual(['x']);
  });

  it('never throws and only ever answers identifiers or all', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, inside) => {
        const found = scanVendorImports(`${before} import {${inside}} from 'vendor:lodash'`);
        const got = found.get('vendor:lodash');
        expect(got === 'all' || (Array.isArray(got) && got.every((name) => /^[A-Za-z_$][\w$]*$/.test(name)))).toBe(true);
      }),
    );
  });
});
