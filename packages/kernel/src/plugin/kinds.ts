import type { Type } from 'arktype';
import type { BackendDef, KernelFn } from '../backend/contract.js';
import type { DatasetDef } from '../data/dataset.js';
import type { NodeType } from '../graph/node-type.js';
import type { LossDef } from '../nn/losses.js';
import type { OpDef } from '../ops/op.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';

/** A kernel: the implementation of one op on one backend. Its registry name is `op@backend`. */
export interface KernelDef {
  readonly name: string;
  readonly op: string;
  readonly backend: string;
  readonly fn: KernelFn;
}

/** Where a reader gets bytes: a file on disk in Node, a File in a browser. */
export interface FileSource {
  readonly path: string;
  /** The file name without folders. */
  readonly name: string;
  readonly size: number;
  bytes(): Promise<Uint8Array>;
  /** The first `length` bytes (all of a shorter file). */
  head(length: number): Promise<Uint8Array>;
  /** A file beside this one (multi-file formats such as BrainVision). */
  sibling(name: string): FileSource;
}

/** What `neurite inspect` prints about a file; fields that do not apply are absent. */
export interface FileSummary {
  format: string;
  version?: string;
  /** Signal channels, not counting annotation-only signals. */
  channels?: number;
  channelNames?: string[];
  sampleRate?: number;
  durationSeconds?: number;
  /** Samples per channel. */
  samples?: number;
  /** Events in event-camera or AER data. */
  events?: number;
  /** Spikes in spike-train files. */
  spikes?: number;
  /** Neurons in spike-train files. */
  units?: number;
  /** Markers, annotations or event-table entries in EEG files. */
  annotations?: number;
  /** [width, height] of an event camera. */
  sensor?: [number, number];
  /** Model nodes (model files). */
  nodes?: number;
  labels?: number | string[];
  /** Format-specific facts (streams, edges, node list, …). */
  details?: Record<string, unknown>;
}

/** A file format a plugin reads, found by content (and optionally by extension). */
export interface FormatDef {
  readonly name: string;
  readonly description: string;
  readonly extensions?: readonly string[];
  /** Whether these leading bytes (up to 4 KiB) and this file name are this format. */
  detect(head: Uint8Array, fileName: string): boolean;
  inspect(file: FileSource, runtime: Runtime): Promise<FileSummary>;
}

/** A hardware target that runs a model graph (a simulator of a device, or a device). */
export interface TargetDef<O = any> {
  readonly name: string;
  readonly description: string;
  readonly options: Type<O>;
  compile(model: import('../graph/spec.js').ModelGraph, options: O, runtime: Runtime): Promise<TargetProgram>;
}

export interface TargetProgram {
  run(input: Tensor): Promise<Tensor>;
  /** Cost and device figures of the last run (energy, latency, …), by name. */
  report(): Record<string, number>;
}

export interface CommandOption {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean' | 'list';
  readonly description: string;
  readonly alias?: string;
  readonly default?: string | number | boolean | readonly string[];
  /** Whether the option may repeat (values collected into a list). */
  readonly repeatable?: boolean;
}

export interface CommandArgument {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface CommandIO {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
}

export interface CommandContext extends CommandIO {
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly runtime: Runtime;
}

/** A CLI command. Multi-word names (`decode ssvep`) form sub-commands; help is generated from this. */
export interface CommandDef {
  readonly name: string;
  readonly summary: string;
  readonly args?: readonly CommandArgument[];
  readonly options?: readonly CommandOption[];
  readonly examples?: readonly string[];
  /** Returns the exit code (0 when omitted). */
  run(ctx: CommandContext): Promise<number | undefined> | number | undefined;
}

/** A named, complete training config that `neurite train <preset>` runs. */
export interface PresetDef {
  readonly name: string;
  readonly description: string;
  readonly config: Readonly<Record<string, unknown>>;
}

// Type aliases rather than interfaces, so timings fit workload records with extra fields.
export type Timing = {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
};

export interface BenchmarkWorkload {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly neurite: Timing & Readonly<Record<string, unknown>>;
  readonly peer: (Timing & { readonly name: string } & Readonly<Record<string, unknown>>) | null;
  /** neurite's median over the peer's (below 1: neurite is faster); null without a peer. */
  readonly ratio: number | null;
  readonly note?: string;
}

export interface BenchmarkDef {
  readonly name: string;
  readonly description: string;
  run(options: {
    readonly quick?: boolean;
    readonly runtime: Runtime;
    readonly log?: (line: string) => void;
  }): Promise<BenchmarkWorkload[]>;
}

/**
 * Every kind of contribution a plugin can register, by registry name. Open for declaration merging:
 * a plugin adds its own kind with
 * `declare module '@neurite/kernel' { interface RegistryKinds { surrogate: SurrogateDef } }`.
 */
export interface RegistryKinds {
  op: OpDef;
  kernel: KernelDef;
  backend: BackendDef;
  node: NodeType;
  dataset: DatasetDef;
  format: FormatDef;
  target: TargetDef;
  command: CommandDef;
  preset: PresetDef;
  benchmark: BenchmarkDef;
  loss: LossDef;
}

export type RegistryKind = keyof RegistryKinds & string;
