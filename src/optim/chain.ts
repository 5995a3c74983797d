/**
 * Composition of gradient transformations, as optax's `chain`: the updates flow through the
 * transformations in order and the state is the tuple of their states.
 *
 * Laws (checked in properties/optim.test.ts):
 * 1. identity: `chain()` returns its updates unchanged, and `chain(t)` behaves as `t`.
 * 2. associativity: `chain(chain(a, b), c)` and `chain(a, chain(b, c))` give bit-identical updates.
 */
import type { Tree } from '../tree/index.js'
import { type GradientTransformation, type OptState, gradientTransformation } from './GradientTransformation.js'

/** The transformations of a chain, one per state of the tuple `S`. @category model */
export type Transformations<S extends ReadonlyArray<OptState>> = { readonly [K in keyof S]: GradientTransformation<S[K]> }

/**
 * Applies `transformations` in order: `update` feeds the updates of each into the next and returns
 * the tuple of their new states. `chain()` is the identity.
 * @category combinators
 */
export const chain = <const S extends ReadonlyArray<OptState>>(...transformations: Transformations<S>): GradientTransformation<S> => {
  // The mapped tuple type guarantees one transformation per state; the loops work on the erased form.
  const ts = transformations as unknown as ReadonlyArray<GradientTransformation>
  return gradientTransformation(
    <T extends Tree>(params: T): S => Object.freeze(ts.map((t) => t.init(params))) as unknown as S,
    <T extends Tree>(updates: T, state: S, params: T): readonly [T, S] => {
      const states = state as unknown as ReadonlyArray<OptState>
      if (!Array.isArray(states) || states.length !== ts.length) {
        throw new TypeError(
          `optim.chain: the state must be an array of ${ts.length} states (one per transformation), got ${Array.isArray(states) ? `${states.length}` : typeof states}; pass the state that this chain's init returned`,
        )
      }
      let u = updates
      const next = new Array<OptState>(ts.length)
      for (let i = 0; i < ts.length; i++) {
        const [v, s] = ts[i]!.update(u, states[i]!, params)
        u = v
        next[i] = s
      }
      return [u, Object.freeze(next) as unknown as S]
    },
  )
}
