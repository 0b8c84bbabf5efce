import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { VendorImport } from './vendor-imports.ts';

/**
 * The vendor modules of Particle's Logic runtime (spec §8.2), each pinned in package.json
 * to the version Particle names. esbuild turns a package into one self-contained ES module
 * the QuickJS sandbox evaluates. The whole module has a default export (lodash's `_`,
 * otherwise the namespace) beside its named exports; a function importing only names gets
 * a module of just those (see vendor-imports.ts).
 */
export interface VendorModule {
  readonly name: string;
  readonly packageName: string;
  readonly version: string;
  /** The entry esbuild bundles for the whole module. */
  readonly entry: string;
}

export const VENDOR_MODULES: readonly VendorModule[] = [
  { name: 'vendor:lodash', packageName: 'lodash-es', version: '4.17.21', entry: `export * from 'lodash-es';\nexport { default } from 'lodash-es';\n` },
  { name: 'vendor:date-fns', packageName: 'date-fns', version: '2.30.0', entry: `import * as all from 'date-fns';\nexport * from 'date-fns';\nexport default all;\n` },
  { name: 'vendor:cbor-x', packageName: 'cbor-x', version: '1.5.4', entry: `import * as all from 'cbor-x';\nexport * from 'cbor-x';\nexport default all;\n` },
  {
    // CommonJS: its exports object is the default, its members the named exports.
    name: 'vendor:unishox2',
    packageName: 'unishox2.siara.cc',
    version: '1.1.3',
    entry: `import all from 'unishox2.siara.cc';\nexport const { unishox2_compress, unishox2_compress_simple, unishox2_decompress, unishox2_decompress_simple } = all;\nexport default all;\n`,
  },
];

export function findVendorModule(name: string): VendorModule | undefined {
  return VENDOR_MODULES.find((module) => module.name === name);
}

/** Refusal for an import of a module that does not exist (save time and run time). */
export function unknownModuleMessage(name: string): string {
  const known = name.startsWith('vendor:') ? ` (the vendor modules are ${VENDOR_MODULES.map((m) => m.name).join(', ')})` : '';
  return `Cannot find module '${name}'${known}`;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
/** Bundles built on first use are kept on disk: node_modules is where `npm ci` puts what the project builds from. */
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'hush-vendor');

function installedVersion(packageName: string): string {
  return (JSON.parse(readFileSync(requireFromRoot.resolve(`${packageName}/package.json`), 'utf8')) as { version: string }).version;
}

function entryFor(module: VendorModule, wanted: VendorImport): string {
  return wanted === 'all' ? module.entry : `export { ${wanted.join(', ')} } from '${module.packageName}';\n`;
}

/**
 * The bundle's file: keyed by what it holds and by the installed package and esbuild
 * versions, so an upgrade of either builds anew.
 */
function bundlePath(module: VendorModule, wanted: VendorImport): string {
  const versions = `${installedVersion(module.packageName)}-esbuild${installedVersion('esbuild')}`;
  const what = wanted === 'all' ? 'all' : createHash('sha256').update(wanted.join(',')).digest('hex').slice(0, 16);
  return join(CACHE_DIR, `${module.name.replace(':', '-')}@${versions}-${what}.mjs`);
}

/** Bundles a module (minified ES2020, no Node built-ins), writes it atomically and returns it. */
export function buildVendorBundle(module: VendorModule, wanted: VendorImport = 'all'): string {
  const installed = installedVersion(module.packageName);
  if (installed !== module.version) {
    throw new Error(`${module.name} needs ${module.packageName} ${module.version} but ${installed} is installed (run npm ci)`);
  }
  const result = buildSync({
    stdin: { contents: entryFor(module, wanted), resolveDir: ROOT, sourcefile: `${module.name}.js` },
    bundle: true,
    format: 'esm',
    // The sandbox is neither Node nor a browser; `browser` keeps Node's Buffer and
    // built-ins out (cbor-x then works on Uint8Array).
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const path = bundlePath(module, wanted);
  mkdirSync(dirname(path), { recursive: true });
  // Several workers may build the same bundle at once: write aside, then rename over.
  const temp = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
  return text;
}

/** Bundles kept in memory per worker; a few hundred kB at most, as functions import few name sets. */
const MAX_CACHED = 64;
const cache = new Map<string, string>();

/**
 * The source of a vendor module holding `wanted`, from memory, disk or esbuild. A name
 * set esbuild cannot build (a name the package does not export) falls back to the whole
 * module, so QuickJS reports the missing export the way it reports any other.
 */
export function vendorModuleSource(module: VendorModule, wanted: VendorImport): string {
  const key = `${module.name}|${wanted === 'all' ? '*' : wanted.join(',')}`;
  let source = cache.get(key);
  if (source !== undefined) return source;
  const path = bundlePath(module, wanted);
  if (existsSync(path)) source = readFileSync(path, 'utf8');
  else {
    try {
      source = buildVendorBundle(module, wanted);
    } catch (error) {
      if (wanted === 'all') throw error;
      source = vendorModuleSource(module, 'all');
    }
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, source);
  return source;
}
