import { decode } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogicRuntime, type LogicRuntime } from './index.ts';
import { eventContext } from './logic-context-fixtures.ts';

// Every test may build a bundle with esbuild on first use (a fresh clone before `npm run build`).
let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime();
});
afterAll(async () => {
  await runtime.close();
});

const run = async (code: string, eventData = '') => {
  const result = await runtime.run({ code, context: eventContext({ eventData }) });
  expect(result.status, result.err).toBe('Success');
  return result;
};
const logged = (result: { logs: readonly { args: readonly unknown[] }[] }) => result.logs.map((entry) => entry.args);

describe('vendor modules', () => {
  it('vendor:lodash groups and sums with named imports, the default import and a namespace import', async () => {
    const readings = JSON.stringify([
      { sensor: 'a', value: 1 },
      { sensor: 'b', value: 5 },
      { sensor: 'a', value: 2.5 },
    ]);
    const body = `export default function main({ event }) {
        const readings = JSON.parse(event.eventData);
        const groups = GROUP(readings, 'sensor');
        console.log(Object.keys(groups), SUM(groups.a, 'value'), SUM(readings, (r) => r.value));
      }`;
    for (const [imports, group, sum] of [
      [`import { groupBy, sumBy } from 'vendor:lodash';`, 'groupBy', 'sumBy'],
      [`import { groupBy as g } from 'vendor:lodash';\nimport { sumBy } from 'vendor:lodash';`, 'g', 'sumBy'],
      [`import _ from 'vendor:lodash';`, '_.groupBy', '_.sumBy'],
      [`import * as lodash from 'vendor:lodash';`, 'lodash.groupBy', 'lodash.sumBy'],
    ] as const) {
      const result = await run(`${imports}\n${body.replace('GROUP', group).replaceAll('SUM', sum)}`, readings);
      expect(logged(result), imports).toEqual([[['a', 'b'], 3.5, 8.5]]);
    }
  });

  it('vendor:date-fns formats and does date arithmetic', async () => {
    const result = await run(`
      import { format, addDays, differenceInHours, parseISO } from 'vendor:date-fns';
      import dateFns from 'vendor:date-fns';
      export default function main({ event }) {
        const published = parseISO('2024-05-01T12:00:00Z');
        const later = addDays(published, 3);
        console.log(format(later, 'yyyy-MM-dd'), differenceInHours(later, published), typeof dateFns.isBefore);
      }`);
    expect(logged(result)).toEqual([['2024-05-04', 72, 'function']]);
  });

  it('vendor:cbor-x encodes CBOR that particle:encoding turns into base64 (and decodes it again)', async () => {
    const result = await run(`
      import { encode, decode } from 'vendor:cbor-x';
      import { base64Encode, base64Decode } from 'particle:encoding';
      export default function main() {
        const bytes = encode({ t: 21.5, ok: true, name: 'gr\u00fcn', list: [1, 2, 3] });
        const text = base64Encode(bytes);
        console.log(text, JSON.stringify(decode(new Uint8Array(base64Decode(text)))));
      }`);
    const [text, roundTrip] = logged(result)[0] as [string, string];
    expect(decode(Buffer.from(text, 'base64'))).toEqual({ t: 21.5, ok: true, name: 'grün', list: [1, 2, 3] });
    expect(JSON.parse(roundTrip)).toEqual({ t: 21.5, ok: true, name: 'grün', list: [1, 2, 3] });
  });

  it('vendor:unishox2 compresses and decompresses text', async () => {
    const result = await run(`
      import { unishox2_compress_simple, unishox2_decompress_simple } from 'vendor:unishox2';
      import unishox from 'vendor:unishox2';
      export default function main() {
        const input = 'Hello World, hello world, HELLO WORLD';
        const out = new Uint8Array(100);
        const length = unishox2_compress_simple(input, input.length, out);
        console.log(length < input.length, unishox2_decompress_simple(out, length), typeof unishox.unishox2_compress);
      }`);
    expect(logged(result)).toEqual([[true, 'Hello World, hello world, HELLO WORLD', 'function']]);
  });

  it('refuses unknown vendor modules and names they do not export, at save time and at run time', async () => {
    const unknown = `import { pad } from 'vendor:left-pad';\nexport default function () {}`;
    const message = "Error: Cannot find module 'vendor:left-pad' (the vendor modules are vendor:lodash, vendor:date-fns, vendor:cbor-x, vendor:unishox2)";
    await expect(runtime.validate(unknown)).resolves.toEqual({ ok: false, error: message });
    const ran = await runtime.run({ code: unknown, context: eventContext() });
    expect([ran.status, ran.err]).toEqual(['Failure', message]);

    const missing = `import { groupBy, noSuchThing } from 'vendor:lodash';\nexport default function () {}`;
    await expect(runtime.validate(missing)).resolves.toEqual({ ok: false, error: "SyntaxError: Could not find export 'noSuchThing' in module 'vendor:lodash'" });
    await expect(runtime.validate(`import { groupBy } from 'vendor:lodash';\nexport default function () { return groupBy([], 'x'); }`)).resolves.toEqual({ ok: true });
  });
});
