// @neurite/nir — public entry point. The default export is the plugin factory.
import { nirPlugin } from './plugin.js';

export default nirPlugin;
export { DEFAULT_EXPORT_DT, exportCommand, runCommand } from './cli/commands.js';
export { formatCsv, type NumericCsv, parseCsv } from './cli/csv.js';
export { listGraph, nirDataFormat, nirFormat } from './cli/format.js';
export { type ExportOptions, type ExportResult, exportNir } from './convert/export.js';
export { builtinExporters } from './convert/export-builtins.js';
export { buildNirModule, type ImportOptions, importNirGraph } from './convert/import.js';
export { builtinImporters } from './convert/import-builtins.js';
export type {
  ImportedNode,
  NirExportContext,
  NirExportDef,
  NirFragment,
  NirImportContext,
  NirImportDef,
} from './convert/registry.js';
export {
  type NirGraphData,
  type NirNodeData,
  type NirObservable,
  readNirData,
  timeGridded,
  writeNirData,
} from './data/nirdata.js';
export { readHdf5 } from './hdf5/read.js';
export type { H5Dataset, H5Group, H5NumericValue, H5StringValue, H5Value } from './hdf5/tree.js';
export { writeHdf5 } from './hdf5/write.js';
export * as nirArrays from './ir/arrays.js';
export { readNir, writeNir } from './ir/file.js';
export { parseNirTree } from './ir/parse.js';
export { type FieldSpec, NIR_NODE_TYPES, NIR_SCHEMAS, type NodeSchema } from './ir/schema.js';
export { nirTree } from './ir/serialize.js';
export { inferShapes, type NodeShapes } from './ir/shapes.js';
export type { NirArray, NirDocument, NirField, NirGraph, NirLeaf, NirNode } from './ir/types.js';
export { isGraph, NIR_WRITE_VERSION } from './ir/types.js';
export {
  CONVENTIONS,
  type Convention,
  coefficients,
  type NeuronModel,
  type NeuronParams,
  type StepCoefficients,
} from './nodes/discretise.js';
export { NirDelay, NirScale, NirThreshold } from './nodes/elementwise.js';
export { NirGraphModule, type RecordSink } from './nodes/graph.js';
export { NEURON_FIELDS, NEURON_NODE_TYPES, NirNeuron } from './nodes/neuron.js';
export { type GraphPlan, planGraph } from './nodes/plan.js';
export { nirNodeTypes } from './nodes/types.js';
export {
  defaultRecord,
  nodePaths,
  parseRecord,
  type RecordRequest,
  runRecorded,
  type SimulationOptions,
  type SimulationResult,
  simulateNir,
} from './simulate.js';
export { VERSION } from './version.js';
export { nirPlugin };
