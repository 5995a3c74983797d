/**
 * Type-level tests of model files: checked by `tsc --noEmit -p .`. A training run's state and
 * history can be saved as they are, and loading with `net` gives parameters of the network's type.
 */
import type * as E from 'fp-ts/lib/Either.js'
import { expectTypeOf } from 'vitest'
import { type DenseParams, type Layer, type NoParams, dense, relu, serial } from '../nn/index.js'
import type { AdamState } from '../optim/index.js'
import type { History, TrainState } from '../train/index.js'
import { type ModelError, type SavedModel, decodeModel, loadModel, saveModel } from '../ioNamespace.js'

const net = serial(dense(4, 3), relu, dense(3, 2))
type P = readonly [DenseParams, NoParams, DenseParams]
declare const state: TrainState<P, AdamState>
declare const history: History
declare const text: string

// a TrainState and a fit History go into a model file as they are
void saveModel('m.json', { net, params: state.params, optState: state.optState, step: state.step, key: state.key, history })

// with net, the model is typed by it; without, the network and parameters are unknown
expectTypeOf(decodeModel(text, { net })).toEqualTypeOf<E.Either<ModelError, SavedModel<typeof net>>>()
expectTypeOf(decodeModel(text)).toEqualTypeOf<E.Either<ModelError, SavedModel<Layer<unknown>>>>()
expectTypeOf(loadModel('m.json', { net })).toEqualTypeOf<Promise<E.Either<ModelError, SavedModel<typeof net>>>>()
declare const loaded: SavedModel<typeof net>
expectTypeOf(loaded.params).toEqualTypeOf<P>()

// @ts-expect-error the parameters must be the network's
void saveModel('m.json', { net, params: dense(2, 2).init(state.key) })
