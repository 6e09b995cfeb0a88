import type { FileSummary, FormatDef } from '../../plugin/kinds.js';
import { LENGTH_BYTES, MAX_HEADER_BYTES, parseHeader, readHeaderLength } from './header.js';

/**
 * safetensors for `neurite inspect`: lists the tensors and metadata from the header alone (the data is
 * never read). Recognised by content: a little-endian length within the format's limit followed by '{'.
 */
export const safetensorsFormat: FormatDef = {
  name: 'safetensors',
  description: 'safetensors tensors (PyTorch and Hugging Face weights, neurite checkpoints)',
  extensions: ['.safetensors'],
  detect(head) {
    if (head.length < LENGTH_BYTES + 1) return false;
    const view = new DataView(head.buffer, head.byteOffset, LENGTH_BYTES);
    const length = view.getUint32(0, true);
    return (
      view.getUint32(4, true) === 0 && length > 1 && length <= MAX_HEADER_BYTES && head[LENGTH_BYTES] === 0x7b
    );
  },
  async inspect(file): Promise<FileSummary> {
    const length = readHeaderLength(await file.head(LENGTH_BYTES), file.size, file.path);
    const bytes = await file.head(LENGTH_BYTES + length);
    const header = parseHeader(bytes.subarray(LENGTH_BYTES), file.size, file.path);
    return {
      format: 'safetensors',
      details: {
        tensors: header.entries.map((e) => ({
          name: e.name,
          dtype: e.dtype,
          shape: e.shape,
          loadsAs: e.loadsAs,
        })),
        metadata: header.metadata ?? {},
        headerBytes: header.headerLength,
        dataBytes: header.dataLength,
      },
    };
  },
};
