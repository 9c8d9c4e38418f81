/**
 * Closed-form reference for RunningMeanStd: folding samples one batch at a time into a prior of
 * mean 0, variance 1 and pseudo-count `prior` equals pooling all samples with that prior at once.
 */
export function pooledMoments(samples: number[][], prior = 1e-4): { mean: number[]; var: number[]; count: number } {
  const n = samples.length;
  const dim = samples[0]!.length;
  const mean: number[] = [];
  const variance: number[] = [];
  for (let j = 0; j < dim; j++) {
    const col = samples.map((s) => s[j]!);
    const dataMean = col.reduce((a, b) => a + b, 0) / n;
    const dataM2 = col.reduce((a, b) => a + (b - dataMean) ** 2, 0);
    const total = prior + n;
    mean.push((n * dataMean) / total);
    variance.push((prior * 1 + dataM2 + dataMean * dataMean * (prior * n) / total) / total);
  }
  return { mean, var: variance, count: prior + n };
}
