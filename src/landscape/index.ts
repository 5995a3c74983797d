/**
 * Loss landscapes after Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018), pure
 * and keyed. A landscape is the loss restricted to a line or a plane of parameter space:
 * `line1d` gives L(θ + αδ), `grid2d` gives L(θ + αδ + βη), `interpolate` gives
 * L((1 - α) θ₀ + α θ₁). The directions come from `randomDirection(key, params)`: a Gaussian tree
 * with θ's structure whose every filter (the weights feeding one output unit; for `dense`, a
 * column of `w`) is rescaled to the norm of the same filter of θ, with zero bias directions
 * unless `biases` keeps them. The loss is any pure function of the parameters, typically
 * `datasetLoss` over a fixed data subset. Results are plain numbers that spread into
 * `plot.lossLandscape1d` / `plot.lossLandscape2d`. Nothing here imports Node.
 *
 * Laws (checked in landscape.test.ts, under the same names):
 * 1. filter normalisation: for every weight leaf of rank ≥ 2 and every filter j,
 *    ‖d[..., j]‖ = ‖θ[..., j]‖ (up to the rounding of the leaf's dtype); bias leaves are zero by
 *    default, have ‖d_b‖ = ‖b‖ with `biases: 'whole'` and |d_b[j]| = |b[j]| with `'elementwise'`.
 * 2. scale equivariance: `randomDirection(k, c·θ) = c · randomDirection(k, θ)` for c > 0, so
 *    the landscape of a rescaled network is the same picture.
 * 3. determinism: the same key and parameters give a bit-identical direction; the same loss,
 *    parameters, directions and steps give a bit-identical grid.
 * 4. centre: `grid2d` at (α, β) = (0, 0) and `line1d` at α = 0 equal `loss(θ)` exactly.
 * 5. slices agree: the row β = 0 of `grid2d` equals `line1d` along the first direction.
 * 6. endpoints: `interpolate` at α = 0 equals `loss(from)` and at α = 1 equals `loss(to)`, exactly.
 */
export {
  type BiasDirection, type DirectionOptions, type Normalization,
  filterNorms, normalizeDirection, randomDirection, randomDirections,
} from './direction.js'
export {
  type Landscape1d, type Landscape2d, type ParamsLoss,
  datasetLoss, grid2d, interpolate, line1d, steps,
} from './slices.js'
