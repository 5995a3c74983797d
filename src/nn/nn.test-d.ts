/**
 * Type-level tests of typed composition: checked by `tsc --noEmit -p .` (part of `npm test`).
 * Each `@ts-expect-error` line must fail to compile; if it ever compiles, tsc reports the unused
 * directive. Each `expectTypeOf` fails to compile when the types differ.
 */
import { expectTypeOf } from 'vitest'
import type { Key } from '../random/index.js'
import type { Tree } from '../tree/index.js'
import {
  type AddSizes, type DenseParams, type Layer, type NoParams, type SumSizes,
  dense, dropout, elementwise, fanOut, gelu, identity, parallel, relu, residual, serial, sigmoid, softmax, tanh,
} from './index.js'

declare const k: Key

// serial: matching literal sizes compile and give the end-to-end sizes
const mlp = serial(dense(784, 128), relu, dense(128, 10))
expectTypeOf(mlp).toEqualTypeOf<Layer<readonly [DenseParams, NoParams, DenseParams], 784, 10>>()
expectTypeOf(mlp.inSize).toEqualTypeOf<784>()
expectTypeOf(mlp.outSize).toEqualTypeOf<10>()
expectTypeOf(mlp.init(k)).toEqualTypeOf<readonly [DenseParams, NoParams, DenseParams]>()
expectTypeOf(mlp.init(k)).toExtend<Tree>()

// serial: a mismatch between neighbours, also across size-preserving layers, does not compile
// @ts-expect-error 128 features flow into dense(64, 10)
serial(dense(784, 128), relu, dense(64, 10))
// @ts-expect-error dense(2, 3) then dense(4, 1): no activation in between
serial(dense(2, 3), dense(4, 1))
// @ts-expect-error the mismatch is found past dropout and several activations
serial(dense(784, 256), relu, dropout(0.2), dense(256, 64), tanh, sigmoid, dense(32, 10))
// @ts-expect-error a nested serial's output size is known too
serial(serial(dense(3, 4), relu), dense(5, 2))

// size-preserving layers pass the size through, at either end as well
expectTypeOf(serial(relu, dense(3, 4), dropout(0.5), softmax).inSize).toEqualTypeOf<3>()
expectTypeOf(serial(relu, dense(3, 4), dropout(0.5), softmax).outSize).toEqualTypeOf<4>()
expectTypeOf(serial(relu, tanh).preservesSize).toEqualTypeOf<true>()
expectTypeOf(elementwise('swish', (x) => x)).toEqualTypeOf(relu)

// sizes known only at run time widen to number and still compile (the run-time check remains)
declare const n: number
expectTypeOf(serial(dense(n, 128), relu, dense(128, 10))).toEqualTypeOf<Layer<readonly [DenseParams, NoParams, DenseParams], number, 10>>()
expectTypeOf(serial(dense(784, n), relu, dense(64, 10)).inSize).toEqualTypeOf<784>()
expectTypeOf(dense(n, n)).toEqualTypeOf<Layer<DenseParams, number, number>>()

// long chains keep precise types (recursive, no fixed arity)
const deep = serial(
  dense(1, 2), relu, dense(2, 3), gelu, dense(3, 4), relu, dense(4, 5), tanh, dense(5, 6), relu, dense(6, 7), relu, dense(7, 8), identity, dense(8, 9),
)
expectTypeOf(deep.inSize).toEqualTypeOf<1>()
expectTypeOf(deep.outSize).toEqualTypeOf<9>()
expectTypeOf(deep.init(k)[14]).toEqualTypeOf<DenseParams>()
// @ts-expect-error the 12th layer gets 7 features, not 6
serial(dense(1, 2), relu, dense(2, 3), gelu, dense(3, 4), relu, dense(4, 5), tanh, dense(5, 6), relu, dense(6, 7), dense(6, 8))

// fanOut: same input to every layer, outputs concatenated: sizes add up, in the types
expectTypeOf(fanOut(identity, dense(4, 3), dense(4, 5)).outSize).toEqualTypeOf<12>()
expectTypeOf(fanOut(identity, dense(4, 3)).inSize).toEqualTypeOf<4>()
expectTypeOf(serial(dense(10, 4), fanOut(identity, dense(4, 3)), dense(7, 1)).outSize).toEqualTypeOf<1>()
// @ts-expect-error every layer of a fanOut takes the same input size
fanOut(dense(4, 3), dense(5, 5))
// @ts-expect-error a fanOut of 4 + 3 features into a layer of 8
serial(fanOut(identity, dense(4, 3)), dense(8, 1))

// parallel: blocks of the input, sizes add up on both sides
expectTypeOf(parallel(dense(2, 3), dense(4, 1)).inSize).toEqualTypeOf<6>()
expectTypeOf(parallel(dense(2, 3), dense(4, 1)).outSize).toEqualTypeOf<4>()
expectTypeOf(parallel(dense(n, 3), dense(4, 1)).inSize).toEqualTypeOf<number>()

// residual: input and output sizes must agree
expectTypeOf(residual(dense(4, 4))).toEqualTypeOf<Layer<DenseParams, 4, 4>>()
expectTypeOf(residual(serial(dense(4, 8), relu, dense(8, 4))).outSize).toEqualTypeOf<4>()
expectTypeOf(residual(relu).preservesSize).toEqualTypeOf<true>()
// @ts-expect-error x + f(x) needs f from 4 to 4 features
residual(dense(4, 5))
// @ts-expect-error a residual block inside serial keeps its size
serial(dense(2, 4), residual(dense(4, 4)), dense(5, 1))

// literal size arithmetic
expectTypeOf<AddSizes<999, 1>>().toEqualTypeOf<1000>()
expectTypeOf<AddSizes<784, 12345>>().toEqualTypeOf<13129>()
expectTypeOf<AddSizes<number, 1>>().toEqualTypeOf<number>()
expectTypeOf<AddSizes<1.5, 1>>().toEqualTypeOf<number>()
expectTypeOf<SumSizes<[1, 2, 3, 99]>>().toEqualTypeOf<105>()

// layers spread from an array built at run time: accepted, sizes widen to number
declare const many: ReadonlyArray<Layer<DenseParams, number, number>>
expectTypeOf(serial(dense(3, n), ...many).inSize).toEqualTypeOf<3>()
expectTypeOf(serial(dense(3, n), ...many).outSize).toEqualTypeOf<number>()

// a union of a sized and a size-preserving layer: its sizes are unknown, accepted
declare const either: Layer<DenseParams, 3, 3> | typeof relu
expectTypeOf(serial(dense(2, 3), either, dense(3, 1)).outSize).toEqualTypeOf<1>()
