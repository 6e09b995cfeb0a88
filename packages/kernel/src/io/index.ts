// Byte-level file formats: browser-safe (no node imports). File helpers live in `@neurite/kernel/node`.

export {
  type DecodeOptions as SafetensorsDecodeOptions,
  decodeSafetensors,
  decodeSafetensorsData,
  type SafetensorsContents,
} from './safetensors/decode.js';
export {
  halfToNumber,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  type SafetensorsDTypeInfo,
} from './safetensors/dtypes.js';
export {
  encodeSafetensors,
  encodeSafetensorsArrays,
  type NamedTensors,
  planSafetensors,
  type SafetensorsPlan,
  type TensorLayout,
} from './safetensors/encode.js';
export { safetensorsFormat } from './safetensors/format.js';
export {
  MAX_HEADER_BYTES as SAFETENSORS_MAX_HEADER_BYTES,
  NEURITE_DTYPES_KEY as SAFETENSORS_NEURITE_DTYPES_KEY,
  parseHeader as parseSafetensorsHeader,
  readHeaderLength as readSafetensorsHeaderLength,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors/header.js';
