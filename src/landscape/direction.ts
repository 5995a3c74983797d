/**
 * Directions in parameter space for loss landscapes, after Li et al., "Visualizing the Loss
 * Landscape of Neural Nets" (2018): a Gaussian direction with the structure of the parameter tree,
 * rescaled filter by filter to the norms of the parameters it will be added to.
 *
 * A *filter* is the slice of a weight leaf at one index of its last axis: the weights that feed one
 * output unit. For `dense`'s `w` of shape [in, out] the filters are the columns `w[:, j]`. Leaves
 * of rank 0 or 1 (biases) have no filters; their direction is zero unless `biases` says otherwise.
 *
 * Why filter normalisation: a ReLU network computes the same function when a unit's incoming
 * weights are multiplied by c > 0 and its outgoing weights divided by c, so raw distances in
 * parameter space mean nothing; a direction rescaled per filter scales with the parameters, and
 * landscapes of differently scaled networks become comparable.
 */
import { type Key, normal, split } from '../random/index.js'
import { type Tensor, alloc, fromData } from '../tensor/index.js'
import { type Tree, leaves, paths, unflatten, zipWith } from '../tree/index.js'

/**
 * How the direction of a weight leaf (rank ≥ 2) is rescaled:
 * - `filter` (default, Li et al.): each filter d[..., j] to the norm of θ[..., j];
 * - `layer`: the whole leaf to the norm of the whole parameter leaf;
 * - `none`: the raw Gaussian.
 * @example
 * ```ts
 * const normalization: landscape.Normalization = 'layer'
 * ```
 * @category model
 */
export type Normalization = 'filter' | 'layer' | 'none'

/**
 * What the direction of a bias leaf (rank 0 or 1) is:
 * - `zero` (default, as Li et al.'s `ignore='biasbn'`): zero, so the landscape varies weights only;
 * - `whole`: the leaf is treated as one filter: a Gaussian vector rescaled to the norm of the bias
 *   vector (‖d_b‖ = ‖b‖);
 * - `elementwise`: each element is a filter of its own, so d_b[j] = ±|b[j]| with a random sign.
 * A bias that is still all zeros gets a zero direction under `whole` and `elementwise`.
 * @example
 * ```ts
 * const biases: landscape.BiasDirection = 'zero'
 * landscape.randomDirection(random.key(0), nn.dense(2, 3).init(random.key(1)), { biases })
 * ```
 * @category model
 */
export type BiasDirection = 'zero' | 'whole' | 'elementwise'

/**
 * Options of `randomDirection` and `normalizeDirection`. @category model
 * @example
 * ```ts
 * const options: landscape.DirectionOptions = { normalization: 'filter', biases: 'zero' }
 * landscape.randomDirection(random.key(0), nn.dense(2, 3).init(random.key(1)), options)
 * ```
 */
export interface DirectionOptions {
  /** Rescaling of weight leaves (rank ≥ 2); default `filter`. */
  readonly normalization?: Normalization
  /** The direction of bias leaves (rank ≤ 1); default `zero`. */
  readonly biases?: BiasDirection
}

const NORMALIZATIONS: ReadonlyArray<Normalization> = ['filter', 'layer', 'none']
const BIASES: ReadonlyArray<BiasDirection> = ['zero', 'whole', 'elementwise']

const checkOptions = (op: string, options: DirectionOptions): { readonly normalization: Normalization; readonly biases: BiasDirection } => {
  const normalization = options.normalization ?? 'filter'
  const biases = options.biases ?? 'zero'
  if (!NORMALIZATIONS.includes(normalization)) throw new RangeError(`${op}: normalization must be one of ${NORMALIZATIONS.map((n) => `'${n}'`).join(', ')}, got '${String(normalization)}'`)
  if (!BIASES.includes(biases)) throw new RangeError(`${op}: biases must be one of ${BIASES.map((n) => `'${n}'`).join(', ')}, got '${String(biases)}'`)
  return { normalization, biases }
}

// Which elements of a leaf are rescaled together: one group per filter (the index along the last
// axis), the whole leaf, or each element alone; or none: zeroed, or kept raw.
type Grouping = 'filters' | 'whole' | 'elements' | 'zero' | 'raw'

const groupingOf = (rank: number, normalization: Normalization, biases: BiasDirection): Grouping =>
  rank >= 2
    ? normalization === 'filter' ? 'filters' : normalization === 'layer' ? 'whole' : 'raw'
    : biases === 'whole' ? 'whole' : biases === 'elementwise' ? 'elements' : 'zero'

// Rescales the groups of `d` to the norms of the same groups of `theta`, in float64. A group of
// `d` with norm 0 stays 0 (it has no direction to rescale).
const rescale = (d: Tensor, theta: Tensor, grouping: Grouping): Tensor => {
  const out = alloc(d.dtype, d.size)
  if (grouping === 'zero') return fromData(d.shape, out)
  if (grouping === 'raw') {
    out.set(d.data)
    return fromData(d.shape, out)
  }
  const n = d.size
  // Group g of element i: the last-axis index for filters, 0 for the whole leaf, i for elements.
  const last = d.shape.length === 0 ? 1 : d.shape[d.shape.length - 1]!
  const groups = grouping === 'filters' ? last : grouping === 'whole' ? 1 : n
  const groupOf = grouping === 'filters' ? (i: number) => i % last : grouping === 'whole' ? () => 0 : (i: number) => i
  const dd = new Float64Array(groups)
  const tt = new Float64Array(groups)
  for (let i = 0; i < n; i++) {
    const g = groupOf(i)
    const a = d.data[i]!
    const b = theta.data[i]!
    dd[g] = dd[g]! + a * a
    tt[g] = tt[g]! + b * b
  }
  const factor = new Float64Array(groups)
  for (let g = 0; g < groups; g++) factor[g] = dd[g]! > 0 ? Math.sqrt(tt[g]!) / Math.sqrt(dd[g]!) : 0
  for (let i = 0; i < n; i++) out[i] = d.data[i]! * factor[groupOf(i)]!
  return fromData(d.shape, out)
}

const checkShapes = (op: string, d: Tensor, theta: Tensor, path: string): void => {
  if (d.shape.length !== theta.shape.length || d.shape.some((s, i) => s !== theta.shape[i])) {
    throw new RangeError(`${op}: at ${path === '' ? 'the root' : path}: the direction has shape [${d.shape.join(', ')}] but the parameters have [${theta.shape.join(', ')}]; draw the direction from the same parameter tree`)
  }
}

/**
 * Rescales a direction (any tree with the structure of `params`, e.g. a Gaussian draw or a
 * difference of two parameter trees) as `randomDirection` does: per filter for weight leaves, and
 * biases as `options.biases` says. Values are computed in float64 and stored in each leaf's dtype.
 *
 * filter:  d[..., j] ← d[..., j] · ‖θ[..., j]‖ / ‖d[..., j]‖
 * @example
 * ```ts
 * const params = nn.dense(3, 2).init(random.key(0))
 * const raw = tree.map(params, (leaf) => random.normal(random.key(1), leaf.shape))
 * landscape.normalizeDirection(raw, params) // each filter scaled to the norm of the parameters' filter
 * ```
 * @category directions
 */
export const normalizeDirection = <P extends Tree>(direction: P, params: P, options: DirectionOptions = {}): P => {
  const op = 'landscape.normalizeDirection'
  const { normalization, biases } = checkOptions(op, options)
  return zipWith(direction, params, (d, theta, path) => {
    checkShapes(op, d, theta, path)
    return rescale(d, theta, groupingOf(d.shape.length, normalization, biases))
  }, op)
}

/**
 * A random direction for a loss landscape: a standard Gaussian tree with the structure, shapes and
 * dtypes of `params`, rescaled by `normalizeDirection` (by default per filter, with zero biases).
 * Leaf k is drawn from `split(key, leaves)[k]`, so the same key and parameters give a
 * bit-identical direction.
 * @example
 * ```ts
 * const params = nn.dense(2, 3).init(random.key(0))
 * const [k1, k2] = random.split(random.key(1), 2)
 * const d1 = landscape.randomDirection(k1!, params)
 * const d2 = landscape.randomDirection(k2!, params)
 * ```
 * @category directions
 */
export const randomDirection = <P extends Tree>(key: Key, params: P, options: DirectionOptions = {}): P => {
  const op = 'landscape.randomDirection'
  checkOptions(op, options)
  const ls = leaves(params)
  const keys = split(key, ls.length)
  const gaussian = unflatten(params, ls.map((leaf, k) => normal(keys[k]!, leaf.shape, { dtype: leaf.dtype })))
  return normalizeDirection(gaussian, params, options)
}

/**
 * Two random directions, from the two keys of `split(key, 2)`: the axes of a 2-D landscape. In
 * high dimensions two Gaussian directions are nearly orthogonal, which is why Li et al. do not
 * orthogonalise them.
 * @example
 * ```ts
 * const params = nn.dense(3, 2).init(random.key(0))
 * const [delta, eta] = landscape.randomDirections(random.key(1), params)
 * ```
 * @category directions
 */
export const randomDirections = <P extends Tree>(key: Key, params: P, options: DirectionOptions = {}): readonly [P, P] => {
  const [k1, k2] = split(key, 2) as [Key, Key]
  return [randomDirection(k1, params, options), randomDirection(k2, params, options)]
}

/**
 * The norm of every filter of every weight leaf, and of every bias leaf as a whole, by path:
 * `{ '[0].w': [‖w[:, 0]‖, ‖w[:, 1]‖, ...], '[0].b': [‖b‖] }`. For inspecting and testing
 * directions: after filter normalisation, `filterNorms(d)` equals `filterNorms(params)` on the
 * weight leaves.
 * @example
 * ```ts
 * landscape.filterNorms(nn.dense(3, 2).init(random.key(0))) // the norm of each filter, by path
 * ```
 * @category directions
 */
export const filterNorms = (t: Tree): Readonly<Record<string, ReadonlyArray<number>>> => {
  const ps = paths(t)
  const out: Record<string, ReadonlyArray<number>> = {}
  leaves(t).forEach((leaf, k) => {
    const last = leaf.shape.length >= 2 ? leaf.shape[leaf.shape.length - 1]! : 1
    const sums = new Float64Array(last)
    for (let i = 0; i < leaf.size; i++) sums[i % last] = sums[i % last]! + leaf.data[i]! ** 2
    out[ps[k]!] = Array.from(sums, Math.sqrt)
  })
  return out
}
