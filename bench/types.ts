/** One measured figure. `baseline` is measured in the same run, so the ratio survives a noisy machine. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  note?: string;
}
