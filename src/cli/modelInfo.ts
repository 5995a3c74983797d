/**
 * What `purenet train` records about the data in a model file's `extra`, so that `eval` and
 * `predict` read a CSV the way training did: the target column, the feature columns in order, the
 * task, the class labels in index order (the mapping `data.fromCsv` returned), and the settings of
 * the run. Decoded with io-ts when a model is loaded; a model saved by code without these fields
 * is refused with a message that names the missing one.
 *
 *   "extra": {
 *     "target": "species", "features": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
 *     "task": "classification", "classes": ["setosa", "versicolor", "virginica"],
 *     "training": { "optimizer": "adam", "lr": 0.01, "batch": 16, "epochs": 100, "seed": 0 },
 *     "scaler": { "features": { "kind": "standardize", "shift": [...], "scale": [...] }, "target": ... }
 *   }
 *
 * `scaler` (a `data.Scaler` for the features and, for regression, the target) is what
 * `train --normalize` fitted on the training data; `eval` and `predict` apply it to the features
 * and undo the target's on the network's outputs.
 *
 * A model trained on IDX images (`train --images --labels`, `idxData.ts`) records
 * `"images": { "shape": [28, 28, 1], "scale": 0.00392156862745098 }` (one image's [height, width,
 * channels] and the factor its pixels were multiplied by), with target "label", no feature
 * columns and the classes "0".."k-1"; `eval` and `predict` then read IDX images the same way.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { ScalerCodec } from '../data/index.js'

const Task = t.keyof({ classification: null, regression: null }, "'classification' or 'regression'")

/** How a model trained on IDX images read them: one image's shape and the pixels' factor. */
const Images = t.type({ shape: t.readonly(t.tuple([t.number, t.number, t.number])), scale: t.number })

const Training = t.type({
  optimizer: t.keyof({ sgd: null, adam: null }, "'sgd' or 'adam'"),
  lr: t.number,
  batch: t.number,
  epochs: t.number,
  seed: t.number,
})

/** The scaling `train --normalize` fitted: of the features, and of a regression target. */
const Scalers = t.partial({ features: ScalerCodec, target: ScalerCodec })

/** The scalers of a model trained with `--normalize` (`extra.scaler`). */
export type Scalers = t.TypeOf<typeof Scalers>

/** The io-ts codec of the data description in a model file's `extra`. */
export const ModelInfo = t.intersection([
  t.type({ target: t.string, features: t.readonlyArray(t.string, 'an array of column names'), task: Task }),
  t.partial({ classes: t.readonlyArray(t.string, 'an array of class labels'), training: Training, scaler: Scalers, images: Images }),
])

/** The data description of a model trained by `purenet train`. */
export type ModelInfo = t.TypeOf<typeof ModelInfo>

/** The settings of a `purenet train` run, as recorded. */
export type TrainingInfo = t.TypeOf<typeof Training>

// The path of a failure in the document, leaving out the members of intersections.
const pathOf = (context: t.Context): string => {
  let path = ''
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!.type as t.Mixed & { readonly _tag?: string }
    const key = context[i]!.key
    if (parent._tag === 'IntersectionType') continue
    path = parent._tag === 'ReadonlyArrayType' || parent._tag === 'ArrayType' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`
  }
  return path
}

/**
 * The data description in `extra`, or the message naming the first bad field
 * (`extra.features: missing; ...`).
 */
export const decodeModelInfo = (extra: unknown): E.Either<string, ModelInfo> => {
  const r = ModelInfo.decode(extra ?? {})
  if (E.isRight(r)) {
    const info = r.right
    if (info.task === 'classification' && info.classes === undefined) return E.left('extra.classes: missing; a classification model needs its class labels')
    return E.right(info)
  }
  const first = r.left[0]
  if (first === undefined) return E.left('extra: not a description of the data')
  const path = pathOf(first.context)
  const where = path === '' ? 'extra' : `extra.${path}`
  return E.left(first.value === undefined
    ? `${where}: missing; the model file does not say how to read a CSV (purenet train records extra.target, extra.features, extra.task and extra.classes)`
    : `${where}: expected ${first.context[first.context.length - 1]?.type.name ?? 'another value'}, got ${JSON.stringify(first.value)?.slice(0, 60)}`)
}
