import { lu, luSolve } from './lu.js';
import { checkFinite, checkMatrix, type Matrix, norm1, product } from './matrix.js';

// Higham (2005), "The scaling and squaring method for the matrix exponential revisited", SIAM J.
// Matrix Anal. Appl. 26(4): Padé degrees m ∈ {3, 5, 7, 9, 13}, each used while ‖A‖₁ ≤ θ_m, which bounds
// the backward error by the unit roundoff of IEEE double precision.
const THETA: readonly (readonly [number, number])[] = [
  [3, 1.495585217958292e-2],
  [5, 2.53939833006323e-1],
  [7, 9.504178996162932e-1],
  [9, 2.097847961257068],
];
const THETA_13 = 5.371920351148152;

/** Coefficients b₀…b_m of the [m/m] Padé approximant of eˣ. */
const PADE: Readonly<Record<number, readonly number[]>> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
    670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

/**
 * The matrix exponential e^A of an n×n matrix by scaling and squaring with Padé approximants
 * (Higham 2005). Used to discretise linear systems exactly, e.g. the LMU's Ā = e^{A·dt}.
 */
export function expm(a: Matrix, n: number): Float64Array {
  const op = 'linalg.dense.expm';
  checkMatrix(op, a, n, n);
  checkFinite(op, a, n);
  const x = Float64Array.from(a);
  const norm = norm1(x, n);
  for (const [m, theta] of THETA) if (norm <= theta) return padeLow(x, n, PADE[m]!);
  // Scale A by 2^-s so that ‖A/2^s‖₁ ≤ θ₁₃, approximate, then square s times.
  const s = Math.max(0, Math.ceil(Math.log2(norm / THETA_13)));
  if (s > 0) {
    const scale = 2 ** -s;
    for (let i = 0; i < x.length; i++) x[i]! *= scale;
  }
  let e = pade13(x, n);
  for (let i = 0; i < s; i++) e = product(e, e, n, n, n);
  return e;
}

/** Solves (V − U)·X = V + U, the Padé quotient. */
function quotient(u: Float64Array, v: Float64Array, n: number): Float64Array {
  const p = new Float64Array(n * n);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    p[i] = v[i]! + u[i]!;
    q[i] = v[i]! - u[i]!;
  }
  return luSolve(lu(q, n), p);
}

/** Σ cᵢ·Mᵢ plus c·I, for the even/odd Padé sums. */
function combine(
  n: number,
  terms: readonly (readonly [number, Float64Array])[],
  identityCoef: number,
): Float64Array {
  const out = new Float64Array(n * n);
  for (const [c, m] of terms) for (let i = 0; i < n * n; i++) out[i]! += c * m[i]!;
  for (let i = 0; i < n; i++) out[i * n + i]! += identityCoef;
  return out;
}

/** Degrees 3–9: U = A·Σ b_{2j+1}·A^{2j}, V = Σ b_{2j}·A^{2j}. */
function padeLow(a: Float64Array, n: number, b: readonly number[]): Float64Array {
  const m = b.length - 1;
  const powers: Float64Array[] = []; // A², A⁴, …
  const a2 = product(a, a, n, n, n);
  powers.push(a2);
  for (let p = 4; p < m; p += 2) powers.push(product(powers[powers.length - 1]!, a2, n, n, n));
  const odd = combine(
    n,
    powers.map((pw, j) => [b[2 * j + 3]!, pw] as const),
    b[1]!,
  );
  const u = product(a, odd, n, n, n);
  const v = combine(
    n,
    powers.map((pw, j) => [b[2 * j + 2]!, pw] as const),
    b[0]!,
  );
  return quotient(u, v, n);
}

/** Degree 13 with Higham's evaluation scheme: 6 products and one solve. */
function pade13(a: Float64Array, n: number): Float64Array {
  const b = PADE[13]!;
  const a2 = product(a, a, n, n, n);
  const a4 = product(a2, a2, n, n, n);
  const a6 = product(a4, a2, n, n, n);
  const inner = combine(
    n,
    [
      [b[13]!, a6],
      [b[11]!, a4],
      [b[9]!, a2],
    ],
    0,
  );
  const oddOuter = combine(
    n,
    [
      [b[7]!, a6],
      [b[5]!, a4],
      [b[3]!, a2],
    ],
    b[1]!,
  );
  const oddSum = product(a6, inner, n, n, n);
  for (let i = 0; i < n * n; i++) oddSum[i]! += oddOuter[i]!;
  const u = product(a, oddSum, n, n, n);
  const evenInner = combine(
    n,
    [
      [b[12]!, a6],
      [b[10]!, a4],
      [b[8]!, a2],
    ],
    0,
  );
  const v = product(a6, evenInner, n, n, n);
  const evenOuter = combine(
    n,
    [
      [b[6]!, a6],
      [b[4]!, a4],
      [b[2]!, a2],
    ],
    b[0]!,
  );
  for (let i = 0; i < n * n; i++) v[i]! += evenOuter[i]!;
  return quotient(u, v, n);
}
