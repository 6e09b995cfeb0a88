/** The Free Spoken Digit Dataset's file names: `{digit}_{speaker}_{take}.wav`. */
export interface FsddRecording {
  readonly name: string;
  readonly digit: number;
  readonly speaker: string;
  readonly take: number;
}

export const FSDD_KEYS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
] as const;

const PATTERN = /^(\d)_([A-Za-z]+)_(\d+)\.wav$/;

/** The recording a file name describes, or undefined when it is not an FSDD name. */
export function parseFsddName(name: string): FsddRecording | undefined {
  const m = PATTERN.exec(name);
  return m ? { name, digit: Number(m[1]), speaker: m[2]!, take: Number(m[3]) } : undefined;
}

/** FSDD recordings among `names`, in a fixed order: by speaker, then digit, then take. */
export function fsddRecordings(names: readonly string[]): FsddRecording[] {
  return names
    .map(parseFsddName)
    .filter((r): r is FsddRecording => r !== undefined)
    .sort((a, b) =>
      a.speaker < b.speaker ? -1 : a.speaker > b.speaker ? 1 : a.digit - b.digit || a.take - b.take,
    );
}

/** Indices of the samples whose speaker is (test) or is not (train) in `testSpeakers`. */
export function splitBySpeaker(
  speakers: ArrayLike<number>,
  speakerNames: readonly string[],
  testSpeakers: readonly string[],
): { train: number[]; test: number[] } {
  const test = new Set(testSpeakers);
  const out = { train: [] as number[], test: [] as number[] };
  for (let i = 0; i < speakers.length; i++)
    (test.has(speakerNames[speakers[i]!]!) ? out.test : out.train).push(i);
  return out;
}
