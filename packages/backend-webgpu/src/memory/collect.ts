/**
 * Tensors have no dispose API: their buffers come back when the garbage collector reclaims their
 * handles. A garbage collector does not see GPU memory, though, so a loop over large tensors with
 * little JavaScript allocation could fill the device long before a collection runs. The pool therefore
 * asks for a collection after every so many bytes of new buffers: `globalThis.gc` when the process
 * exposes it, else, in Node, the same function obtained through V8's flags. In browsers, where neither
 * exists, the engine's own collections have to do.
 */
export async function garbageCollector(): Promise<(() => void) | null> {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  try {
    const [{ default: v8 }, { default: vm }] = await Promise.all([import('node:v8'), import('node:vm')]);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
