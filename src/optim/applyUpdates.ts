/**
 * The last step of an optimizer: adding its updates to the parameters.
 */
import { add, cast } from '../ops/index.js'
import { ShapeError, shapeEquals } from '../tensor/index.js'
import { type Tree, zipWith } from '../tree/index.js'

/**
 * `params + updates`, leaf by leaf: one `add` per leaf. Each new leaf keeps the dtype of its
 * parameter (float64 updates to float32 parameters are rounded back, as optax does). Leaves of
 * different shapes are an error (a broadcast here would silently change the parameters' shapes).
 * @example
 * ```ts
 * optim.applyUpdates({ w: tensor([1, 2]) }, { w: tensor([-0.1, 0.1]) }) // { w: [0.9, 2.1] }
 * ```
 * @category optimizers
 */
export const applyUpdates = <T extends Tree>(params: T, updates: T): T =>
  zipWith(params, updates, (p, u, path) => {
    if (!shapeEquals(p.shape, u.shape)) {
      throw new ShapeError(`optim.applyUpdates at ${path === '' ? 'the root' : path}`, [p.shape, u.shape], 'the updates must have the shapes of the parameters; pass the updates the optimizer returned for these parameters')
    }
    const y = add(p, u)
    return y.dtype === p.dtype ? y : cast(y, p.dtype)
  }, 'optim.applyUpdates')
