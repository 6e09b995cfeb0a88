import type { Tensor } from '@neurite/kernel';

/**
 * How one synaptic layer type counts its operations for one call, from its input and output: `macs` when
 * the input is real-valued, `acs` (one per spike per synapse it reaches) when the input is a spike tensor,
 * and `dense` the multiply-accumulates the layer would do on dense real input. Counts are tensors (so
 * they stay on the device until read) or numbers. Registered under the kind `synaptic-ops` by node type.
 */
export interface SynapticOpsDef {
  /** The node type this counts (`linear`, `conv2d`, …). */
  readonly name: string;
  count(
    input: Tensor,
    output: Tensor,
    options: Readonly<Record<string, unknown>>,
  ): {
    /** Synaptic events: the exact number for linear layers. */
    readonly events: Tensor | number;
    readonly dense: number;
  };
}

declare module '@neurite/kernel' {
  interface RegistryKinds {
    'synaptic-ops': SynapticOpsDef;
  }
}

const spikeCount = (x: Tensor): Tensor => (x.dtype === 'spike' ? x.sum() : x.ne(0).sum());

/** Linear: each active input reaches outFeatures synapses; dense cost is rows·in·out. */
const linearOps: SynapticOpsDef = {
  name: 'linear',
  count: (input, output, o) => {
    const out = o.outFeatures as number;
    return {
      events: spikeCount(input).mul(out),
      dense: (output.size / out) * (o.inFeatures as number) * out,
    };
  },
};

/**
 * Convolutions: MACs per output element are (inChannels/groups)·Π kernel; with spike input the events are
 * estimated as MACs × the input's spike density (exact up to border effects, as SpikingJelly's counter).
 */
function convOps(name: string): SynapticOpsDef {
  return {
    name,
    count: (input, output, o) => {
      const k = o.kernelSize as number | number[];
      const taps =
        (typeof k === 'number' ? k ** (name === 'conv1d' ? 1 : 2) : k.reduce((a, b) => a * b, 1)) *
        ((o.inChannels as number) / ((o.groups as number) ?? 1));
      const dense = output.size * taps;
      return { events: spikeCount(input).mul(dense / input.size), dense };
    },
  };
}

export const builtinSynapticOps: SynapticOpsDef[] = [linearOps, convOps('conv1d'), convOps('conv2d')];
