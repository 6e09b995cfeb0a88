/** Helpers shared by the lif_scan kernels: descriptor words and per-neuron parameters. */

/** Word k (32-bit) of a descriptor block. */
export function word(d: usize, k: i32): usize {
  return <usize>load<u32>(d + ((<usize>k) << 2));
}

/** Address of the parameter value of feature f (one shared value when not per neuron). */
export function paramAt(base: usize, perNeuron: bool, f: i32): usize {
  return perNeuron ? base + ((<usize>f) << 2) : base;
}

/** The parameter values of features f … f + 3. */
export function param4(base: usize, perNeuron: bool, f: i32): v128 {
  return perNeuron ? v128.load(base + ((<usize>f) << 2)) : v128.load32_splat(base);
}

/** Four spike bytes (0/1) as float32 lanes. */
export function spikes4(ptr: usize): v128 {
  return f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_splat(ptr))));
}

// lif_scan_grad descriptor words (pointers to float32 arrays unless noted; 0 = absent).
export const B_GS = 0; // gs, gh, gi, ga at 0–3; gvT, giT, gaT at 4–6
export const B_S = 7; // s (bytes), h, i, a at 7–10
export const B_V0 = 11; // v0, i0, a0 at 11–13
export const B_PARAMS = 14; // beta, alpha, threshold, rho, kappa at 14–18
export const B_SURR = 19;
export const B_PER_NEURON = 20;
export const B_T = 21;
export const B_N = 22;
export const B_P = 23;
/** Bits: 1 spiking, 2 synapse, 4 adaptive, reset mode in bits 3–4, 32 detachReset. */
export const B_FLAGS = 24;
/** 0 atan, 1 fast-sigmoid, 2 sigmoid, 3 triangle, 4 straight-through, 5 pdsg, 6 given. */
export const B_SURROGATE = 25;
export const B_PDSG_PER_NEURON = 26;
/** Bit k: gradient output k is needed (gx, gv0, gi0, ga0, gbeta, galpha, gthreshold, grho, gkappa). */
export const B_NEEDS = 27;
export const B_OUT = 28; // the nine outputs at 28–36
/** Scratch of 8·n float64: carries dv, di, da and the five parameter sums. */
export const B_SCRATCH = 37;
// float64 fields, by byte offset.
export const B_VRESET = 160;
export const B_SURR_P1 = 168;
export const B_SURR_P2 = 176;
