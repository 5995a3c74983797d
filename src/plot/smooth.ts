/**
 * Smoothing of noisy per-step series (mini-batch losses) for display.
 */

/**
 * The debiased exponential moving average used by TensorBoard's smoothing slider:
 * m₀ = 0, mₜ = w·mₜ₋₁ + (1 - w)·vₜ, sₜ = mₜ / (1 - w^t) for t = 1, 2, ...
 * Dividing by 1 - w^t removes the pull towards 0 of the first steps, so s₁ = v₁ and a constant
 * series stays constant. `weight` is in [0, 1): 0 returns the series itself. Non-finite values
 * (a diverging run) are passed through and skipped by the average.
 * @example
 * ```ts
 * plot.exponentialMovingAverage([1, 0, 0], 0.5) // smoothed loss values for a curve
 * ```
 * @category smoothing
 */
export const exponentialMovingAverage = (values: ReadonlyArray<number>, weight: number): number[] => {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`plot.exponentialMovingAverage: weight must be in [0, 1), got ${weight}; 0 is no smoothing, 0.9 is strong`)
  }
  const out: number[] = []
  let m = 0
  let t = 0
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(v)
      continue
    }
    t++
    m = weight * m + (1 - weight) * v
    out.push(m / (1 - weight ** t))
  }
  return out
}
