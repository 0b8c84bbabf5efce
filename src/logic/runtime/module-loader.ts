import { ENCODING_MODULE_SOURCE } from './encoding-module.ts';
import { PARTICLE_CORE_MODULE, PARTICLE_CORE_SOURCE } from './particle-core-module.ts';

/** Stack traces and syntax errors name the function's module after this file name. */
export const FUNCTION_MODULE_FILE = 'function.js';

/**
 * The sandbox's module loader: only the Particle modules exist. In a run, `particle:core`
 * is already evaluated in the context and never reaches the loader; validation compiles
 * it from source like any other import.
 */
export function loadSandboxModule(name: string): string | { error: Error } {
  if (name === PARTICLE_CORE_MODULE) return PARTICLE_CORE_SOURCE;
  if (name === 'particle:encoding') return ENCODING_MODULE_SOURCE;
  return { error: new Error(`Cannot find module '${name}'`) };
}
