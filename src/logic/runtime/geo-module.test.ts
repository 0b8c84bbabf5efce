import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogicRuntime, type LogicRuntime } from './index.ts';
import { eventContext } from './logic-context-fixtures.ts';

// The first run of a worker builds the place index (a second or more on a loaded machine).
let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime({ workers: 1 });
});
afterAll(async () => {
  await runtime.close();
});

const logs = async (body: string) => {
  const result = await runtime.run({ code: `import { reverseGeocode } from 'particle:geo';\nimport geo from 'particle:geo';\nexport default function main() {\n${body}\n}`, context: eventContext() });
  expect(result.status, result.err).toBe('Success');
  return result.logs.map((entry) => entry.args);
};

describe('particle:geo reverseGeocode', () => {
  it('answers the nearest populated place with its divisions and country', async () => {
    const [[hostGlobals], [mountainView], [berlin], [sameFromDefault]] = await logs(`
      console.log(Object.getOwnPropertyNames(globalThis).filter((name) => name.startsWith('__hush')));
      console.log(reverseGeocode(37.3861, -122.0839));
      console.log(reverseGeocode('52.5200', '13.4050'));
      console.log(geo.reverseGeocode(37.3861, -122.0839));`);
    expect(hostGlobals).toEqual([]);
    expect(mountainView).toEqual({ distance: expect.any(Number), lat: 37.38605, lon: -122.08385, name: 'Mountain View', admin1: 'California', admin2: 'Santa Clara County', cc: 'US' });
    expect((mountainView as { distance: number }).distance).toBeLessThan(0.1);
    expect(berlin).toMatchObject({ admin1: 'State of Berlin', cc: 'DE' });
    expect(sameFromDefault).toEqual(mountainView);
  });

  it('finds a place across the antimeridian and far out at sea', async () => {
    const [[fiji], [ocean]] = await logs(`
      console.log(reverseGeocode(-16.9, 179.99));
      console.log(reverseGeocode(-45, -140));`);
    expect(fiji).toMatchObject({ cc: 'FJ' });
    expect((ocean as { distance: number }).distance).toBeGreaterThan(1000);
  });

  it('gives a clear error for bad coordinates, catchable by the function', async () => {
    const [[messages]] = await logs(`
      const out = [];
      for (const args of [[91, 0], [0, -180.5], ['north', 1], [NaN, 0], [null, 0], [], [{}, 2]]) {
        try { reverseGeocode(...args); out.push('ok'); } catch (e) { out.push(e.name + ': ' + e.message); }
      }
      console.log(out);`);
    expect(messages).toEqual([
      'RangeError: reverseGeocode: lat must be a number from -90 to 90 (got 91)',
      'RangeError: reverseGeocode: lon must be a number from -180 to 180 (got -180.5)',
      'RangeError: reverseGeocode: lat must be a number from -90 to 90 (got "north")',
      'RangeError: reverseGeocode: lat must be a number from -90 to 90 (got NaN)',
      'RangeError: reverseGeocode: lat must be a number from -90 to 90 (got null)',
      'RangeError: reverseGeocode: lat must be a number from -90 to 90 (got undefined)',
      'RangeError: reverseGeocode: lat must be a number from -90 to 90 (got an object)',
    ]);
  });
});
