/** One measured figure of a benchmark module (bench/<name>.ts exports `bench(): Promise<BenchRow[]>`). */
export interface BenchRow {
  /** Usually the module name: compiler, data, report, ... */
  readonly group: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Context a reader needs: target, backend, what stood in for what. */
  readonly note?: string;
}

export type BenchModule = {
  bench(): Promise<BenchRow[]>;
  /** How many times `npm run bench` runs the module (median per figure) when --repeat is not given; modules that take their own medians leave it at 1. */
  readonly defaultRepeat?: number;
};
