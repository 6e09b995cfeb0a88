import * as lz4 from 'lz4js';
import { hash as xxh32 } from 'lz4js/xxh32.js';
import type { ByteReader } from './bytes.js';

const FRAME_MAGIC = 0x184d2204;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };
/** An LZ4 sequence of n compressed bytes never expands past about 255·n bytes (length bytes add ≤ 255 each). */
const MAX_EXPANSION = 255;

/**
 * Decodes one LZ4 frame (the standard frame format: magic, descriptor, blocks, end mark) found at
 * `offset` within `r`, spanning at most `length` bytes. lz4js decodes the blocks; this wrapper checks
 * the frame structure, every block size and all checksums first, and sizes the output from the
 * compressed sizes (never from a header field alone), so corrupted input is a `FormatError`.
 */
export function decodeLz4Frame(
  r: ByteReader,
  offset: number,
  length: number,
  field: string,
  maxOutput = 1 << 30,
): Uint8Array {
  const end = offset + length;
  r.need(offset, length, field);
  const src = r.bytes;
  if (r.u32(offset, `${field} LZ4 magic`) !== FRAME_MAGIC) {
    r.fail(`${field} LZ4 magic`, '0x184D2204', `0x${r.u32(offset, field).toString(16)}`, offset);
  }
  let pos = offset + 4;
  const flg = r.u8(pos, `${field} LZ4 descriptor`);
  const bd = r.u8(pos + 1, `${field} LZ4 block descriptor`);
  if (flg >> 6 !== 1) r.fail(`${field} LZ4 version`, '01', (flg >> 6).toString(2), pos);
  if (flg & 0x02 || flg & 0x01)
    r.fail(`${field} LZ4 flags`, 'no reserved bit and no dictionary id', `0x${flg.toString(16)}`, pos);
  const blockChecksums = (flg & 0x10) !== 0;
  const contentSizeFlag = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const blockMax = BLOCK_MAX_SIZES[(bd >> 4) & 7];
  if (blockMax === undefined || bd & 0x8f)
    r.fail(`${field} LZ4 block size`, 'a block maximum code 4–7', `0x${bd.toString(16)}`, pos + 1);
  const descriptorLength = 2 + (contentSizeFlag ? 8 : 0);
  let contentSize: number | undefined;
  if (contentSizeFlag) contentSize = r.u64(pos + 2, `${field} LZ4 content size`);
  const hc = r.u8(pos + descriptorLength, `${field} LZ4 header checksum`);
  const expectedHc = (xxh32(0, src, pos, descriptorLength) >>> 8) & 0xff;
  if (hc !== expectedHc)
    r.fail(
      `${field} LZ4 header checksum`,
      `0x${expectedHc.toString(16)}`,
      `0x${hc.toString(16)}`,
      pos + descriptorLength,
    );
  pos += descriptorLength + 1;

  // Walk the blocks once to check their sizes and bound the output.
  const blocks: { at: number; size: number; raw: boolean }[] = [];
  let bound = 0;
  for (;;) {
    if (pos + 4 > end)
      r.fail(`${field} LZ4 block size`, 'a block header or the end mark', 'the end of the frame', pos);
    const word = r.u32(pos, `${field} LZ4 block size`);
    pos += 4;
    if (word === 0) break;
    const raw = (word & 0x80000000) !== 0;
    const size = word & 0x7fffffff;
    if (size > blockMax)
      r.fail(`${field} LZ4 block size`, `at most ${blockMax} bytes`, `${size} bytes`, pos - 4);
    if (pos + size + (blockChecksums ? 4 : 0) > end)
      r.fail(`${field} LZ4 block`, `${size} bytes within the frame`, 'the end of the frame', pos);
    if (blockChecksums) {
      const expected = xxh32(0, src, pos, size);
      const found = r.u32(pos + size, `${field} LZ4 block checksum`);
      if (expected !== found)
        r.fail(
          `${field} LZ4 block checksum`,
          `0x${expected.toString(16)}`,
          `0x${found.toString(16)}`,
          pos + size,
        );
    }
    blocks.push({ at: pos, size, raw });
    bound += raw ? size : Math.min(blockMax, size * MAX_EXPANSION + 64);
    pos += size + (blockChecksums ? 4 : 0);
  }
  const checksumAt = pos;
  if (contentChecksum) r.need(pos, 4, `${field} LZ4 content checksum`);
  if (contentSize !== undefined && contentSize > bound) {
    r.fail(
      `${field} LZ4 content size`,
      `at most ${bound} bytes for these blocks`,
      `${contentSize} bytes`,
      offset + 6,
    );
  }
  const capacity = contentSize ?? bound;
  if (capacity > maxOutput)
    r.fail(`${field} LZ4 content`, `at most ${maxOutput} bytes`, `up to ${capacity} bytes`, offset);

  const dst = new Uint8Array(capacity);
  let written = 0;
  for (const block of blocks) {
    const before = written;
    if (block.raw) {
      if (written + block.size > capacity)
        r.fail(`${field} LZ4 content`, `${capacity} bytes`, 'more', block.at);
      dst.set(src.subarray(block.at, block.at + block.size), written);
      written += block.size;
    } else {
      written = lz4.decompressBlock(src, dst, block.at, block.size, written);
    }
    if (written - before > blockMax || written > capacity || !(written >= before)) {
      r.fail(
        `${field} LZ4 block`,
        `a block decoding to at most ${Math.min(blockMax, capacity - before)} bytes`,
        `${written - before} bytes`,
        block.at,
      );
    }
  }
  if (contentSize !== undefined && written !== contentSize) {
    r.fail(`${field} LZ4 content size`, `${contentSize} bytes`, `${written} bytes decoded`, offset + 6);
  }
  const out = dst.subarray(0, written);
  if (contentChecksum) {
    const expected = xxh32(0, out, 0, out.length);
    const found = r.u32(checksumAt, `${field} LZ4 content checksum`);
    if (expected !== found)
      r.fail(
        `${field} LZ4 content checksum`,
        `0x${expected.toString(16)}`,
        `0x${found.toString(16)}`,
        checksumAt,
      );
  }
  return out;
}
