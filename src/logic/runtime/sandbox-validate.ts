import { createModuleLoader, FUNCTION_MODULE_FILE } from './module-loader.ts';
import type { ResolvedLimits, ValidateResult } from './runtime-types.ts';
import type { SandboxEngine } from './sandbox-engine.ts';
import { classifyThrown, engineFault, readThrown } from './sandbox-errors.ts';

const LOCATION = /\((function\.js:\d+:\d+)\)|at (function\.js:\d+:\d+)/;

/** A module with no exports: importing a name from it is a link error raised after every other check. */
const STOP_MODULE = 'hush:validate-stop';
const STOP_NAME = '__hushValidateStop';
/**
 * The module that is evaluated: it imports the function's default export, then a name that
 * does not exist. QuickJS compiles and resolves the whole graph, then links it before it
 * evaluates anything, so linking fails at the missing name and no code runs. (Compiling
 * the function alone with `compileOnly` is not an option: quickjs-emscripten then reads
 * an uninitialized module pointer and fails at random with `undefined`.)
 */
const ENTRY_SOURCE = `import main from '${FUNCTION_MODULE_FILE}';\nimport { ${STOP_NAME} } from '${STOP_MODULE}';\n`;

/** The message a function with no default export gets (at save time and at run time). */
export const NO_DEFAULT_EXPORT = 'the module has no default export; a Logic function must `export default function (context) { ... }`';

/**
 * Compiles the module, resolves its imports and links them without evaluating anything,
 * so syntax errors, unknown modules, unknown imported names and a missing default export
 * are reported before a function is saved. The error names the line and column, as there
 * is no run log to carry the stack.
 */
export async function validateSandboxCode(engine: SandboxEngine, code: string, limits: ResolvedLimits): Promise<ValidateResult> {
  const instance = await engine.instanceFor(limits.memoryBytes);
  const deadline = Date.now() + limits.timeoutMs;
  let error: string | undefined;
  try {
    const rt = instance.quickjs.newRuntime({
      memoryLimitBytes: limits.memoryBytes,
      maxStackSizeBytes: limits.maxStackBytes,
      interruptHandler: () => Date.now() > deadline,
    });
    const load = createModuleLoader(code);
    rt.setModuleLoader((name) => (name === FUNCTION_MODULE_FILE ? code : name === STOP_MODULE ? 'export {};' : load(name)));
    const vm = rt.newContext();
    const linked = vm.evalCode(ENTRY_SOURCE, 'validate.js', { type: 'module' });
    if (linked.error) {
      const thrown = readThrown(vm, linked.error);
      linked.error.dispose();
      if (!thrown.message.includes(STOP_NAME)) {
        if (/export 'default'/.test(thrown.message) && thrown.message.includes(FUNCTION_MODULE_FILE)) {
          error = `Error: ${NO_DEFAULT_EXPORT}`;
        } else {
          const { err } = classifyThrown(thrown, limits);
          const where = LOCATION.exec(thrown.stack ?? '');
          error = where ? `${err} (${where[1] ?? where[2]})` : err;
        }
      }
    } else {
      // Unreachable: linking always stops at the missing name.
      linked.value.dispose();
      error = 'InternalError: could not validate the code';
    }
    vm.dispose();
    rt.dispose();
  } catch (fault) {
    engine.discard(instance);
    return { ok: false, error: engineFault(fault, false, limits).err };
  }
  return error === undefined ? { ok: true } : { ok: false, error };
}
