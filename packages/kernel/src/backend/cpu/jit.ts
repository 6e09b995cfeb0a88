/**
 * Loop specialisation for elementwise kernels. A loop that calls a per-element function passed as an
 * argument runs about six times slower in V8 once it has seen several functions (the call site goes
 * megamorphic). So each element function, which must be self-contained (no free variables besides
 * globals such as Math), is spliced into its own loop source and compiled once; V8 then inlines it.
 * Where code generation is forbidden (a strict Content-Security-Policy), the same function is called
 * through a closure, which is slower but identical in result.
 */
import type { DataArray } from '../../tensor/dtype.js';

export type Unary = (x: number, p0: number, p1: number) => number;
export type Binary = (a: number, b: number) => number;

/** out[oo + i] = f(x[xo + i]) for i < n. */
export type UnaryLoop = (
  x: DataArray,
  xo: number,
  out: DataArray,
  oo: number,
  n: number,
  p0: number,
  p1: number,
) => void;
/** out[oo + i] = f(a[ao + i·sa], b[bo + i·sb]) for i < n, specialised for strides (1,1), (1,0), (0,1). */
export interface BinaryLoops {
  vv: (a: DataArray, ao: number, b: DataArray, bo: number, out: DataArray, oo: number, n: number) => void;
  vs: (a: DataArray, ao: number, b: DataArray, bo: number, out: DataArray, oo: number, n: number) => void;
  sv: (a: DataArray, ao: number, b: DataArray, bo: number, out: DataArray, oo: number, n: number) => void;
}

let codegen: boolean | undefined;

function canGenerate(): boolean {
  if (codegen === undefined) {
    try {
      codegen = new Function('return 1')() === 1;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}

export function unaryLoop(f: Unary): UnaryLoop {
  if (canGenerate()) {
    return new Function(
      'x',
      'xo',
      'out',
      'oo',
      'n',
      'p0',
      'p1',
      `const f = ${f.toString()};\nfor (let i = 0; i < n; i++) out[oo + i] = f(x[xo + i], p0, p1);`,
    ) as UnaryLoop;
  }
  return (x, xo, out, oo, n, p0, p1) => {
    for (let i = 0; i < n; i++) out[oo + i] = f(x[xo + i]!, p0, p1);
  };
}

export function binaryLoops(f: Binary): BinaryLoops {
  if (canGenerate()) {
    const make = (aIndex: string, bIndex: string) =>
      new Function(
        'a',
        'ao',
        'b',
        'bo',
        'out',
        'oo',
        'n',
        `const f = ${f.toString()};\nfor (let i = 0; i < n; i++) out[oo + i] = f(a[${aIndex}], b[${bIndex}]);`,
      ) as BinaryLoops['vv'];
    return { vv: make('ao + i', 'bo + i'), vs: make('ao + i', 'bo'), sv: make('ao', 'bo + i') };
  }
  return {
    vv: (a, ao, b, bo, out, oo, n) => {
      for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i]!, b[bo + i]!);
    },
    vs: (a, ao, b, bo, out, oo, n) => {
      const bv = b[bo]!;
      for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i]!, bv);
    },
    sv: (a, ao, b, bo, out, oo, n) => {
      const av = a[ao]!;
      for (let i = 0; i < n; i++) out[oo + i] = f(av, b[bo + i]!);
    },
  };
}
