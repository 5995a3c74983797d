/**
 * One small spec of every plot kind, for the tests that check properties every plot shares
 * (JSON contract, rendering without warnings). Not exported by `index.ts`.
 */
import { greater, matmul } from '../ops/index.js'
import { tensor } from '../tensor/index.js'
import { activations } from './activations.js'
import { linspace } from './contours.js'
import { decisionRegions } from './decisionRegions.js'
import { lossLandscape1d, lossLandscape2d } from './lossLandscape.js'
import { optimizerPaths } from './optimizerPaths.js'
import { beale } from './surfaces.js'
import { trainingCurves } from './trainingCurves.js'
import { hconcat } from './VegaLiteSpec.js'
import type { VegaLiteSpec } from './VegaLiteSpec.js'

const grid = linspace(-1, 1, 11)

/** A small spec of each plot kind, by name. */
export const everyPlot = (): Readonly<Record<string, VegaLiteSpec>> => {
  const oneDim = lossLandscape1d({ alphas: grid, losses: grid.map((a) => 0.1 + a * a) })
  const twoDim = lossLandscape2d({ alphas: grid, betas: grid, losses: grid.map((a) => grid.map((b) => 0.1 + a * a + 2 * b * b)) })
  return {
    trainingCurves: trainingCurves([
      { name: 'sgd', loss: [2, 1.5, NaN, 1], epochs: [{ epoch: 0, loss: 1.5, metrics: { accuracy: 0.5 } }, { epoch: 1, loss: 1, metrics: { accuracy: 0.7 } }] },
      { name: 'adam', loss: [2, 1, 0.5, 0.4] },
    ]),
    activations: activations(undefined, { samples: 21 }),
    decisionRegions: decisionRegions({
      predict: (x) => greater(matmul(x, tensor([[1], [1]])), 0),
      points: [[-1, -1], [1, 1]],
      labels: [0, 1],
      resolution: 12,
    }),
    optimizerPaths: optimizerPaths({ ...beale, resolution: 20, paths: [{ name: 'SGD', points: [[1, 1.5], [2, 1], [3, 0.5]] }, { name: 'Adam', points: [[1, 1.5], [1.5, 0.5]] }] }),
    lossLandscape1d: oneDim,
    lossLandscape2d: twoDim,
    hconcat: hconcat('Both landscapes', oneDim, twoDim),
  }
}
