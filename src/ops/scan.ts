/**
 * `scan`: a loop over the leading axis of a tensor that threads a carry, as JAX's `lax.scan`. It
 * is a composite: each step is ordinary differentiable ops, so `grad`, `jvp` and `vmap` go
 * through it (backpropagation through time) with no rule of its own.
 */
import * as P from '../autodiff/primitives/index.js'
import { ShapeError, type Tensor } from '../tensor/index.js'
import { stack } from './composites.js'

/**
 * The slices xs[0], xs[1], ... of a sequence, cut by halving: the cotangent of a slice is a pad
 * to the size of what it was cut from, so cutting T steps one by one from the whole sequence
 * would cost T pads of the whole sequence in the backward pass (O(T²) memory traffic: for a GRU
 * over 64 steps this dominated the training step). Halving costs O(T log T), and the pieces are
 * the same values, so every result is unchanged, bit for bit.
 */
const steps = (xs: Tensor, rest: ReadonlyArray<number>): Tensor[] => {
  const origin = rest.map(() => 0)
  const cut = (part: Tensor, n: number): Tensor[] => {
    if (n === 1) return [P.reshape(part, rest)]
    const h = n >> 1
    return [...cut(P.slice(part, [0, ...origin], [h, ...rest]), h), ...cut(P.slice(part, [h, ...origin], [n - h, ...rest]), n - h)]
  }
  return cut(xs, xs.shape[0]!)
}

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
  for (const x of steps(xs, rest)) {
    const [next, y] = step(carry, x)
    carry = next
    ys.push(y)
  }
  return [carry, stack(ys, 0)]
}
