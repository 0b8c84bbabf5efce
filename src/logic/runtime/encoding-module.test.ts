import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogicRuntime, type LogicRuntime } from './index.ts';
import { eventContext } from './logic-context-fixtures.ts';

let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime({ workers: 1 });
});
afterAll(async () => {
  await runtime.close();
});

/** Evaluates `expression` in a function that imports the encoding module as `E`. */
async function evaluate(expression: string): Promise<unknown> {
  const result = await runtime.run({
    code: `import E from 'particle:encoding';
      import * as named from 'particle:encoding';
      export default function () { console.log(JSON.stringify(${expression})); }`,
    context: eventContext(),
  });
  if (result.status !== 'Success') throw new Error(result.err);
  return JSON.parse(result.logs[0]!.args[0] as string);
}

const bytes = (text: string): number[] => [...Buffer.from(text, 'utf8')];

describe('particle:encoding', () => {
  it('converts UTF-8 strings and bytes both ways', async () => {
    expect(await evaluate(`E.stringToBytes('héllo €𝄞')`)).toEqual(bytes('héllo €𝄞'));
    expect(await evaluate(`E.bytesToString(${JSON.stringify(bytes('héllo €𝄞'))})`)).toBe('héllo €𝄞');
    expect(await evaluate(`E.bytesToString([0x61, 0xff, 0xe2, 0x82, 0x62])`)).toBe('a\uFFFD\uFFFDb');
    expect(await evaluate(`E.stringToBytes('\\ud800x')`)).toEqual([0xef, 0xbf, 0xbd, 0x78]);
    expect(await evaluate(`E.bytesToString(new Uint8Array([104, 105]))`)).toBe('hi');
  });

  it('encodes base64 (RFC 3548) with known vectors', async () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foobar', 'Zm9vYmFy'],
      ['Hello, World!', 'SGVsbG8sIFdvcmxkIQ=='],
    ];
    for (const [plain, encoded] of vectors) {
      expect(await evaluate(`E.base64Encode(${JSON.stringify(plain)})`)).toBe(encoded);
      expect(await evaluate(`E.base64Decode(${JSON.stringify(encoded)})`)).toEqual(bytes(plain));
    }
    expect(await evaluate(`E.base64Encode([0, 255, 254, 253])`)).toBe('AP/+/Q==');
    expect(await evaluate(`E.base64Decode('AP_-_Q')`)).toEqual([0, 255, 254, 253]);
    await expect(evaluate(`E.base64Decode('**')`)).rejects.toThrow(/base64Decode: invalid character/);
  });

  it('encodes base85 with the RFC 1924 alphabet (vectors from Python base64.b85encode)', async () => {
    const vectors: Array<[number[], string]> = [
      [bytes('hello'), 'Xk~0{Zv'],
      [bytes('Hello, World!'), 'NM&qnZ!92JZ*pv8Ap'],
      [[0, 0, 0, 0], '00000'],
      [[255, 255, 255, 255], '|NsC0'],
      [[...Buffer.from('108000000000000000080800200C417A', 'hex')], '5P$#x0000000;;GAPhlz'],
    ];
    for (const [input, encoded] of vectors) {
      expect(await evaluate(`E.base85Encode(${JSON.stringify(input)})`)).toBe(encoded);
      expect(await evaluate(`E.base85Decode(${JSON.stringify(encoded)})`)).toEqual(input);
    }
    expect(await evaluate(`E.base85Encode('hello')`)).toBe('Xk~0{Zv');
    const all = Array.from({ length: 256 }, (_, i) => i);
    expect(await evaluate(`E.base85Decode(E.base85Encode(${JSON.stringify(all)}))`)).toEqual(all);
    await expect(evaluate(`E.base85Decode('"')`)).rejects.toThrow(/base85Decode/);
  });

  it('encodes and decodes data URLs', async () => {
    expect(await evaluate(`E.dataUrlEncode('Hi')`)).toBe('data:application/octet-stream;base64,SGk=');
    expect(await evaluate(`E.dataUrlEncode([1, 2, 3], 'image/png', { name: 'x.png' })`)).toBe('data:image/png;name=x.png;base64,AQID');
    expect(await evaluate(`E.dataUrlDecode('data:text/plain;charset=utf-8;base64,SGVsbG8=')`)).toEqual({
      mimeType: 'text/plain',
      parameters: { charset: 'utf-8' },
      data: bytes('Hello'),
    });
    expect(await evaluate(`E.dataUrlDecode('data:,A%20brief%20note')`)).toEqual({
      mimeType: 'text/plain',
      parameters: { charset: 'US-ASCII' },
      data: bytes('A brief note'),
    });
    expect(await evaluate(`E.dataUrlDecode(E.dataUrlEncode('round trip ✓', 'text/plain'))`)).toEqual({
      mimeType: 'text/plain',
      parameters: {},
      data: bytes('round trip ✓'),
    });
    await expect(evaluate(`E.dataUrlDecode('http://example.com')`)).rejects.toThrow(/not a data URL/);
  });

  it('offers the same functions as named exports', async () => {
    expect(await evaluate(`Object.keys(named).sort()`)).toEqual([
      'base64Decode',
      'base64Encode',
      'base85Decode',
      'base85Encode',
      'bytesToString',
      'dataUrlDecode',
      'dataUrlEncode',
      'default',
      'stringToBytes',
    ]);
    expect(await evaluate(`named.base64Encode('x') === E.base64Encode('x')`)).toBe(true);
  });
});
