import { ENCODING_MODULE_SOURCE } from './encoding-module.ts';
import { GEO_MODULE, GEO_MODULE_SOURCE } from './geo-module.ts';
import { PARTICLE_CORE_MODULE, PARTICLE_CORE_SOURCE } from './particle-core-module.ts';
import { findVendorModule, unknownModuleMessage, vendorModuleSource } from './vendor-bundles.ts';
import { scanVendorImports } from './vendor-imports.ts';

/** Stack traces and syntax errors name the function's module after this file name. */
export const FUNCTION_MODULE_FILE = 'function.js';

export type SandboxModuleLoader = (name: string) => string | { error: Error };

/**
 * The sandbox's module loader for one function's code: the Particle modules and the vendor
 * modules, which are read only when the function imports them (a vendor module holding
 * just the names it imports, when it imports names only). In a run, `particle:core` is
 * already evaluated in the context and never reaches the loader; validation compiles it
 * from source like any other import. `beforeGeo` installs `particle:geo`'s host function
 * (a run's loader only): QuickJS evaluates the module, which takes it, before the code that
 * imports it, so no function ever sees it as a global.
 */
export function createModuleLoader(code: string, hooks: { readonly beforeGeo?: () => void } = {}): SandboxModuleLoader {
  let vendorImports: ReturnType<typeof scanVendorImports> | undefined;
  return (name) => {
    if (name === PARTICLE_CORE_MODULE) return PARTICLE_CORE_SOURCE;
    if (name === 'particle:encoding') return ENCODING_MODULE_SOURCE;
    if (name === GEO_MODULE) {
      hooks.beforeGeo?.();
      return GEO_MODULE_SOURCE;
    }
    const vendor = findVendorModule(name);
    if (vendor === undefined) return { error: new Error(unknownModuleMessage(name)) };
    vendorImports ??= scanVendorImports(code);
    try {
      return vendorModuleSource(vendor, vendorImports.get(name) ?? 'all');
    } catch (error) {
      return { error: new Error(`Cannot load module '${name}': ${error instanceof Error ? error.message : String(error)}`) };
    }
  };
}
