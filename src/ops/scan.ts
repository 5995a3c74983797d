/**
 * `scan`: a loop over the leading axis of a tensor that threads a carry, as JAX's `lax.scan`. It
 * is a composite: each step is ordinary differentiable ops, so `grad`, `jvp` and `vmap` go
 * through it (backpropagation through time) with no rule of its own.
 */
import * as P from '../autodiff/primitives/index.js'
import { ShapeError, type Tensor } from '../tensor/index.js'
import { stack } from './composites.js'

/**
 * Applies `step` to each slice `xs[t]` along axis 0, threading the carry:
 * `[carry_{t+1}, y_t] = step(carry_t, xs[t])`; returns the last carry and the ys stacked along a
 * new axis 0. The carry is any value (a tensor, a tuple of tensors for an LSTM's (h, c), a record).
 * As JAX's `lax.scan(f, init, xs)`; `length` 0 is refused (there would be no ys to stack).
 * @example
 * ```ts
 * const h0 = zeros([3])
 * const xs = ones([5, 3]) // five steps
 * const [h, hs] = ops.scan((h, x) => { const n = ops.tanh(ops.add(h, x)); return [n, n] as const }, h0, xs) // hs: [5, 3]
 * ```
 * @category combinators
 */
export const scan = <C>(step: (carry: C, x: Tensor) => readonly [C, Tensor], init: C, xs: Tensor): readonly [C, Tensor] => {
  if (xs.shape.length < 1 || xs.shape[0] === 0) throw new ShapeError('scan', [xs.shape], 'expects a sequence with at least one step on axis 0')
  const rest = xs.shape.slice(1)
  let carry = init
  const ys: Tensor[] = []
  for (let t = 0; t < xs.shape[0]!; t++) {
    const x = P.reshape(P.slice(xs, [t, ...rest.map(() => 0)], [1, ...rest]), rest)
    const [next, y] = step(carry, x)
    carry = next
    ys.push(y)
  }
  return [carry, stack(ys, 0)]
}
