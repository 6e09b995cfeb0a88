import { readFileSync } from 'node:fs';
import {
  createRuntime,
  decodeSafetensors,
  encodeSafetensors,
  FormatError,
  parseSafetensorsHeader,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime();
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
/** The 8-byte little-endian header length followed by the header text, padded with spaces to `padTo`. */
const header = (json: string, padTo = json.length) => {
  const text = json.padEnd(padTo, ' ');
  const n = text.length;
  return [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, 0, 0, 0, 0, ...ascii(text)];
};

/** Decodes and expects a FormatError; returns it for field and offset checks. */
function formatError(bytes: Uint8Array | number[]): FormatError {
  try {
    decodeSafetensors(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), rt, {
      file: 'x.safetensors',
    });
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}

describe('safetensors from the specification, byte by byte', () => {
  it('reads a file assembled by hand', () => {
    // From the format description: u64 N, N bytes of JSON (starting with '{', may be padded with
    // spaces), then the byte buffer; offsets are relative to the buffer; little-endian, row-major.
    const json =
      '{"__metadata__":{"who":"hand"},"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},' +
      '"n":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[16,19]}}';
    const bytes = [
      ...header(json, json.length + 5), // five spaces of padding
      ...[0x00, 0x00, 0x80, 0x3f], // 1.0f
      ...[0x00, 0x00, 0x00, 0xc0], // -2.0f
      ...[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // -2 as i64
      ...[0x01, 0x00, 0x01], // true, false, true
    ];
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(bytes), rt);
    expect(metadata).toEqual({ who: 'hand' });
    expect([...tensors.keys()].sort()).toEqual(['m', 'n', 'w']);
    const w = tensors.get('w')!;
    expect([w.dtype, w.shape]).toEqual(['float32', [2, 1]]);
    expect(w.toArraySync()).toEqual([[1], [-2]]);
    const n = tensors.get('n')!;
    expect([n.dtype, n.shape, n.itemSync()]).toEqual(['int32', [], -2]);
    const m = tensors.get('m')!;
    expect([m.dtype, m.toArraySync()]).toEqual(['spike', [1, 0, 1]]);
  });

  it('writes the layout the reference writer produces, byte for byte', async () => {
    const state = new Map([
      ['b', rt.tensor([1, -2])],
      ['s', rt.tensor([1, 0, 1], { dtype: 'spike' })],
      ['i', rt.tensor([1, -1], { dtype: 'int32' })],
      ['a', rt.scalar(0.5, { dtype: 'float64' })],
    ]);
    const bytes = await encodeSafetensors(state, { k: 'v' });
    // Widest dtype first (F64, F32, I32, U8), then by name; metadata first with sorted keys; the spike
    // tensor is U8 and listed in neurite.dtypes; the header is padded with spaces to a multiple of 8.
    const json =
      '{"__metadata__":{"k":"v","neurite.dtypes":"{\\"s\\":\\"spike\\"}"},' +
      '"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
      '"i":{"dtype":"I32","shape":[2],"data_offsets":[16,24]},' +
      '"s":{"dtype":"U8","shape":[3],"data_offsets":[24,27]}}';
    const padded = Math.ceil(json.length / 8) * 8;
    const expected = [
      ...header(json, padded),
      ...[0, 0, 0, 0, 0, 0, 0xe0, 0x3f], // 0.5 as f64
      ...[0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0], // 1, -2 as f32
      ...[0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff], // 1, -1 as i32
      ...[0x01, 0x00, 0x01],
    ];
    expect([...bytes]).toEqual(expected);
    // And it reads back as it was, the spike tensor as spike.
    const back = decodeSafetensors(bytes, rt);
    expect(back.metadata).toEqual({ k: 'v' });
    expect(back.tensors.get('s')!.dtype).toBe('spike');
    expect(back.tensors.get('a')!.dtype).toBe('float64');
  });

  it('writes an empty state dict as an 8-byte header "{}" padded with spaces', async () => {
    expect([...(await encodeSafetensors(new Map()))]).toEqual(header('{}', 8));
    expect(decodeSafetensors(await encodeSafetensors(new Map()), rt).tensors.size).toBe(0);
  });
});

describe('safetensors written by the reference implementation', () => {
  const expected = JSON.parse(
    readFileSync(new URL('./fixtures/peer-dtypes.json', import.meta.url), 'utf8'),
  ) as {
    peer: string;
    tensors: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
  };
  const plain = (v: number | string) =>
    typeof v === 'number' ? v : Number.parseFloat(v.replace('inf', 'Infinity'));

  it('reads every dtype it supports into the documented neurite dtype', () => {
    const { tensors, metadata } = decodeSafetensors(fixture('peer-dtypes.safetensors'), rt);
    const bf16 = decodeSafetensors(fixture('peer-bf16.safetensors'), rt).tensors;
    expect(metadata).toEqual({ format: 'np', note: 'peer fixture' });
    const dtypeOf: Record<string, string> = {
      float64: 'float64',
      float32: 'float32',
      float16: 'float32',
      bfloat16: 'float32',
      bool: 'spike',
    };
    for (const [name, want] of Object.entries(expected.tensors)) {
      const t = tensors.get(name) ?? bf16.get(name);
      expect(t, name).toBeDefined();
      expect(t!.dtype, name).toBe(dtypeOf[want.dtype] ?? 'int32');
      expect(t!.shape, name).toEqual(want.shape);
      expect([...t!.dataSync()], name).toEqual(want.values.map(plain));
    }
  });

  it("reproduces the reference writer's bytes for the same state dict", async () => {
    const peer = fixture('peer-writer.safetensors');
    const state = new Map([
      [
        'layer.weight',
        rt.tensor(
          [0, 1, 2, 3, 4, 5].map((v) => v / 8),
          { shape: [2, 3] },
        ),
      ],
      ['layer.bias', rt.tensor([0.5, -1])],
      ['a.double', rt.tensor([1 / 3], { dtype: 'float64' })],
      ['z.index', rt.tensor([3, -1, 2 ** 31 - 1], { dtype: 'int32' })],
      ['0', rt.scalar(1.25)],
    ]);
    expect(Buffer.from(await encodeSafetensors(state, { format: 'pt' })).equals(Buffer.from(peer))).toBe(
      true,
    );
  });
});

describe('safetensors round trip', () => {
  it('keeps every neurite dtype, scalars, empty tensors and unusual names', async () => {
    const state = new Map([
      ['conv.weight', rt.randn([3, 2, 2])],
      ['double', rt.randn([4], { dtype: 'float64' })],
      ['labels', rt.tensor([0, -7, 2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' })],
      ['spikes', rt.bernoulli(0.3, [5, 7])],
      ['scalar', rt.scalar(Math.PI)],
      ['empty', rt.zeros([0, 3])],
      ['ünïcödé 🧠 "quoted"\n', rt.tensor([1, 2])],
      ['7', rt.tensor([7], { dtype: 'int32' })],
    ]);
    const meta = JSON.parse('{"epoch":"3","":"empty key","__proto__":"a plain key"}') as Record<
      string,
      string
    >;
    const bytes = await encodeSafetensors(state, meta);
    const { tensors, metadata } = decodeSafetensors(bytes, rt);
    expect(Object.entries(metadata).sort()).toEqual(Object.entries(meta).sort());
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect([...tensors.keys()].sort()).toEqual([...state.keys()].sort());
    for (const [name, t] of state) {
      const back = tensors.get(name)!;
      expect([back.dtype, back.shape], name).toEqual([t.dtype, t.shape]);
      expect(back.dataSync(), name).toEqual(t.dataSync());
    }
  });

  it('reads from a byte view at an unaligned offset (a slice of a larger buffer)', async () => {
    const bytes = await encodeSafetensors(
      new Map([
        ['w', rt.tensor([1.5, -2, 3])],
        ['d', rt.tensor([0.25], { dtype: 'float64' })],
      ]),
    );
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const { tensors } = decodeSafetensors(shifted.subarray(3), rt);
    expect([...tensors.get('w')!.dataSync()]).toEqual([1.5, -2, 3]);
    expect(tensors.get('d')!.itemSync()).toBe(0.25);
  });

  it('round-trips a module state dict into a fresh module', async () => {
    const { Linear } = await import('@neurite/kernel');
    const a = new Linear(rt, { inFeatures: 4, outFeatures: 3 });
    const b = new Linear(rt, { inFeatures: 4, outFeatures: 3 });
    b.loadStateDict(decodeSafetensors(await encodeSafetensors(a.stateDict()), rt).tensors);
    for (const [name, t] of a.stateDict()) expect(b.stateDict().get(name)!.dataSync()).toEqual(t.dataSync());
  });

  it('refuses what it cannot write faithfully', async () => {
    await expect(encodeSafetensors(new Map([['__metadata__', rt.scalar(1)]]))).rejects.toThrow(
      /cannot name a tensor/,
    );
    await expect(
      encodeSafetensors(new Map([['x', rt.scalar(1)]]), { 'neurite.dtypes': '{}' }),
    ).rejects.toThrow(/reserved/);
    await expect(
      encodeSafetensors([['x', rt.scalar(1)] as const, ['x', rt.scalar(2)] as const]),
    ).rejects.toThrow(/twice/);
    await expect(encodeSafetensors(new Map([['\ud800', rt.scalar(1)]]))).rejects.toThrow(/lone surrogate/);
  });
});

describe('safetensors validation', () => {
  const valid = () => {
    const json =
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}';
    return { json, data: [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 7, 0, 0, 0] };
  };
  const file = (json: string, data: number[]) => [...header(json), ...data];

  it('accepts the valid base case', () => {
    const { json, data } = valid();
    expect(
      decodeSafetensors(new Uint8Array(file(json, data)), rt)
        .tensors.get('b')!
        .itemSync(),
    ).toBe(7);
  });

  it("names the file, field, offset (the entry's key for header faults), expectation and finding", () => {
    const { json, data } = valid();
    const overlap = json.replace('[8,12]', '[4,8]');
    const gap = json.replace('"shape":[1],"data_offsets":[8,12]', '"shape":[0],"data_offsets":[12,12]');
    const cases: [string, number[], string, number | undefined, RegExp][] = [
      ['a file shorter than the length field', [1, 2, 3], 'header length', 0, /8-byte/],
      ['a header length beyond the file', [200, 0, 0, 0, 0, 0, 0, 0, 0x7b], 'header length', 0, /at most 1/],
      [
        'a header length above 100 MB',
        [0, 0, 0, 0, 1, 0, 0, 0, 0x7b],
        'header length',
        0,
        /at most 100000000/,
      ],
      ['a header not starting with {', file(` ${json}`, data), 'header', 8, /'\{'/],
      ['invalid UTF-8', header('{"\xff":1}'), 'header', 10, /UTF-8/],
      ['invalid JSON', file('{"a":{"dtype":"F32",}}', []), 'header', 8 + 20, /JSON/],
      ['a non-object entry', file('{"a":[1]}', []), 'a', 9, /object/],
      ['an unknown dtype', file(json.replace('"F32"', '"F31"'), data), 'a.dtype', 9, /one of BOOL/],
      ['an unsupported dtype', file(json.replace('"F32"', '"F8_E4M3"'), data), 'a.dtype', 9, /does not read/],
      ['a negative dimension', file(json.replace('[2]', '[-2]'), data), 'a.shape', 9, /non-negative/],
      ['a fractional offset', file(json.replace('[0,8]', '[0,8.5]'), data), 'a.data_offsets', 9, /integers/],
      [
        'a range past the data',
        file(json.replace('[8,12]', '[8,16]'), data),
        'b.data_offsets',
        8 + json.indexOf('"b"'),
        /≤ 12/,
      ],
      [
        'a size that disagrees with the shape',
        file(json.replace('[2]', '[3]'), data),
        'a.data_offsets',
        9,
        /12 bytes/,
      ],
      ['overlapping ranges', file(overlap, data), 'b.data_offsets', 8 + overlap.length + 4, /overlaps/],
      ['a gap before a range', file(gap, data), 'b.data_offsets', 8 + gap.length + 8, /gap/],
      [
        'data not covered (trailing bytes)',
        file(json, [...data, 0]),
        'data',
        8 + json.length + 12,
        /12 bytes/,
      ],
      ['a truncated file', file(json, data.slice(0, 10)), 'b.data_offsets', 8 + json.indexOf('"b"'), /≤ 10/],
      ['metadata that is not strings', file('{"__metadata__":{"k":1}}', []), '__metadata__.k', 9, /string/],
      [
        'a spike mark on a float tensor',
        file(`{"__metadata__":{"neurite.dtypes":"{\\"a\\":\\"spike\\"}"},${json.slice(1)}`, data),
        '__metadata__.neurite.dtypes.a',
        9,
        /U8 or BOOL/,
      ],
      [
        'a BOOL value other than 0 or 1',
        file('{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', [1, 2]),
        'm',
        undefined,
        /0 or 1/,
      ],
      [
        'an I64 outside int32',
        file('{"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', [0, 0, 0, 0x80, 0, 0, 0, 0]),
        'n',
        undefined,
        /2147483648 at element 0/,
      ],
    ];
    for (const [what, bytes, field, offset, found] of cases) {
      const e = formatError(bytes);
      expect(e.field, what).toBe(field);
      expect(e.file, what).toBe('x.safetensors');
      expect(e.format, what).toBe('safetensors');
      if (offset !== undefined) expect(e.offset, what).toBe(offset);
      expect(e.message, what).toMatch(found);
      expect(e.message, what).toMatch(/expected .+, found /);
    }
  });

  it('points data faults at the offending byte', () => {
    const json = '{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}';
    const e = formatError(file(json, [1, 0, 5]));
    expect(e.offset).toBe(8 + json.length + 2);
  });

  it('accepts zero-sized tensors at a shared offset and an empty data region', () => {
    const json =
      '{"e":{"dtype":"F32","shape":[0,4],"data_offsets":[0,0]},"f":{"dtype":"F64","shape":[0],"data_offsets":[0,0]}}';
    const { tensors } = decodeSafetensors(new Uint8Array(file(json, [])), rt);
    expect(tensors.get('e')!.shape).toEqual([0, 4]);
    expect(tensors.get('f')!.dtype).toBe('float64');
  });

  it('parses a header from its bytes without the data (what inspect uses)', () => {
    const { json, data } = valid();
    const bytes = new Uint8Array(file(json, data));
    const parsed = parseSafetensorsHeader(bytes.subarray(8, 8 + json.length), bytes.length, 'h');
    expect(parsed.entries.map((e) => [e.name, e.dtype, e.begin, e.end])).toEqual([
      ['a', 'F32', 0, 8],
      ['b', 'I32', 8, 12],
    ]);
    expect(parsed.dataOffset).toBe(8 + json.length);
  });

  it('is registered for `neurite inspect`, which reads only the header', async () => {
    const format = rt.registry('format').require('safetensors');
    const bytes = fixture('peer-writer.safetensors');
    expect(format.detect(bytes.subarray(0, 4096), 'w.safetensors')).toBe(true);
    expect(format.detect(new TextEncoder().encode('{"a": 1}'), 'x.json')).toBe(false);
    let read = 0;
    const source = {
      path: 'w.safetensors',
      name: 'w.safetensors',
      size: bytes.length,
      bytes: async () => {
        throw new Error('inspect must not read the whole file');
      },
      head: async (n: number) => {
        read = Math.max(read, n);
        return bytes.slice(0, n);
      },
      sibling: () => {
        throw new Error('no siblings');
      },
    };
    const summary = await format.inspect(source, rt);
    expect(summary.format).toBe('safetensors');
    expect((summary.details!.tensors as unknown[]).length).toBe(5);
    expect(summary.details!.metadata).toEqual({ format: 'pt' });
    expect(read).toBeLessThan(bytes.length);
  });
});
