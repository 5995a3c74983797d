// What the user configures (dataset, network, optimizer) and the network it describes: the spec
// sent to the worker, the layer built from it on the page, and the editor's view of a loaded spec.
import { type OptimizerName } from 'purenet/worker'
import { nn } from 'purenet/browser'
import type { DatasetName } from './datasets.js'

export const activations = ['relu', 'tanh', 'sigmoid', 'atan', 'softplus', 'elu', 'gelu', 'leakyRelu', 'identity'] as const
export type Activation = (typeof activations)[number]
export const activationLabel: Record<Activation, string> = {
  relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', atan: 'arctan', softplus: 'softplus', elu: 'ELU', gelu: 'GELU', leakyRelu: 'leaky ReLU', identity: 'linear',
}
export const learningRates = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
export const batchSizes = [1, 4, 10, 16, 32, 64]
export const optimizers: ReadonlyArray<OptimizerName> = ['sgd', 'momentum', 'adam', 'rmsprop']
export const maxLayers = 6
export const maxUnits = 8
/** Grid sizes of the decision regions and of each neuron's view. */
export const resolution = 50
export const neuronResolution = 20

export interface Hidden { readonly units: number; readonly activation: Activation }
export interface Config {
  readonly dataset: DatasetName | 'csv'
  readonly noise: number
  readonly seed: number
  readonly hidden: ReadonlyArray<Hidden>
  readonly learningRate: number
  readonly batchSize: number
  readonly optimizer: OptimizerName
}

export const initialConfig: Config = {
  dataset: 'spirals', noise: 0.1, seed: 1,
  hidden: [{ units: 8, activation: 'tanh' }, { units: 6, activation: 'tanh' }],
  learningRate: 0.03, batchSize: 10, optimizer: 'adam',
}

/** The network of a configuration: 2 features, the hidden layers, one logit. */
export const network = (c: Config): nn.AnyLayer => {
  const layers: Array<nn.AnyLayer> = []
  let width = 2
  for (const h of c.hidden) {
    layers.push(nn.dense(width, h.units), nn[h.activation])
    width = h.units
  }
  layers.push(nn.dense(width, 1))
  return (nn.serial as (...ls: Array<nn.AnyLayer>) => nn.AnyLayer)(...layers)
}

/** The hidden layers of a loaded serial spec of dense layers and activations, if it is one. */
export const hiddenOf = (spec: unknown): Hidden[] | undefined => {
  const s = spec as { kind?: string; layers?: Array<{ kind: string; outSize?: number }> }
  if (s.kind !== 'serial' || s.layers === undefined) return undefined
  const out: Hidden[] = []
  const ls = s.layers
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!
    if (l.kind !== 'dense') return undefined
    if (i === ls.length - 1) return out
    const next = ls[i + 1]!
    const activation = (activations as ReadonlyArray<string>).includes(next.kind) ? (next.kind as Activation) : undefined
    if (activation === undefined || l.outSize === undefined) return undefined
    out.push({ units: l.outSize, activation })
    i++
  }
  return undefined
}
