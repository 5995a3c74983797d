import { expectTypeOf } from 'vitest'
import type { Tensor } from '../tensor/index.js'
import * as O from './index.js'

type Params = { readonly w: Tensor; readonly b: Tensor }
declare const params: Params

// chain's state is the tuple of its transformations' states.
const c = O.chain(O.clipByGlobalNorm(1), O.scaleByAdam(), O.scaleByLearningRate(0.1))
expectTypeOf(c.init(params)).toEqualTypeOf<readonly [O.EmptyState, O.AdamState, O.CountState]>()
expectTypeOf(O.chain().init(params)).toEqualTypeOf<readonly []>()
expectTypeOf(O.chain(O.chain(O.sgd(0.1)), O.trace()).init(params)).toEqualTypeOf<readonly [readonly [O.CountState], O.TraceState]>()

// update gives updates of the parameters' type, and the state's type.
const opt = O.adam(1e-3)
const [updates, state] = opt.update(params, opt.init(params), params)
expectTypeOf(updates).toEqualTypeOf<Params>()
expectTypeOf(state).toEqualTypeOf<O.AdamOptimizerState>()
expectTypeOf(O.applyUpdates(params, updates)).toEqualTypeOf<Params>()

// applyGradients keeps the parameters' type and the state's type, for any optimizer.
const applied = O.applyGradients(opt, params, opt.init(params), params)
expectTypeOf(applied.params).toEqualTypeOf<Params>()
expectTypeOf(applied.state).toEqualTypeOf<O.AdamOptimizerState>()
expectTypeOf(O.applyGradients(c, params, c.init(params), params).state).toEqualTypeOf<readonly [O.EmptyState, O.AdamState, O.CountState]>()
// @ts-expect-error a state of another optimizer is rejected
O.applyGradients(opt, params, O.sgd(0.1).init(params), params)

// A transformation of one's own: its element-wise rule, which chain composes and applyGradients fuses.
const halve = O.ruleTransformation(() => O.emptyState, { name: 'halve', begin: (s) => ({ steps: [{ kind: 'scale', factor: 0.5 }], end: () => s }) })
expectTypeOf(O.chain(halve, O.sgd(0.1)).rule).toEqualTypeOf<O.LeafRule<readonly [O.EmptyState, O.CountState]> | undefined>()

// Any optimizer widens to `Optimizer` (state type forgotten), e.g. for a table or a choice.
declare const useAdam: boolean
const chosen: O.Optimizer = useAdam ? O.adam(1e-3) : O.sgd(0.1)
expectTypeOf(chosen.init(params)).toEqualTypeOf<O.OptState>()

// A learning rate is a number or a schedule.
O.sgd(O.schedules.cosineDecay(0.1, { decaySteps: 100 }))
O.momentum((step) => 0.1 / (1 + step))
// @ts-expect-error a learning rate is not a string
O.sgd('0.1')
// @ts-expect-error options are typed: Adam's decays are b1 and b2
O.adam(1e-3, { beta1: 0.9 })
// @ts-expect-error a state of another optimizer is rejected
opt.update(params, O.sgd(0.1).init(params), params)
// @ts-expect-error params are required
opt.update(params, opt.init(params))
