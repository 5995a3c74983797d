import { type Tensor, data, losses, nn, optim, random, toArray, train } from 'purenet'

/** Trains a regression on your own rows: features on any scales in x [n, features], the target in y [n, 1]. */
export const trainRegression = (all: data.Dataset, options: { readonly epochs: number; readonly seed: number }) => {
  const [dataKey, trainKey] = random.split(random.key(options.seed), 2) as [random.Key, random.Key]
  // Shuffle, then hold out a fifth for validation (early stopping) and a fifth for the final test.
  const rows = data.shuffle(dataKey, all)
  const fifth = Math.floor(data.size(rows) / 5)
  const [test, rest] = data.split(rows, fifth)
  const [validation, training] = data.split(rest, fifth)

  // Scale with constants fitted on the training rows only, and apply the same ones to the others.
  const x = data.standardize(training.x)
  const y = data.standardize(training.y)
  const scaled = (d: data.Dataset) => data.dataset(data.scale(x.scaler, d.x), data.scale(y.scaler, d.y))

  const net = nn.serial(nn.dense(training.x.shape[1]!, 32), nn.relu, nn.dense(32, 32), nn.relu, nn.dense(32, 1))
  const { state, history, earlyStopping } = train.fit({
    net, loss: losses.mse, optimizer: optim.adam(0.01), key: trainKey,
    data: data.dataset(x.data, y.data), epochs: options.epochs, batchSize: 32,
    validation: scaled(validation), // val_loss in every epoch's metrics
    earlyStopping: { metric: 'val_loss', patience: 20, restoreBest: true },
  })

  // Predictions in the target's own units: scale the inputs, undo the target's scaling.
  const predict = (inputs: Tensor) => data.unscale(y.scaler, nn.predict(net, state.params, data.scale(x.scaler, inputs)))
  const predicted = toArray(predict(test.x), 2) // number[][], indexable without a cast
  const actual = toArray(test.y, 2)
  const rmse = Math.sqrt(actual.reduce((sum, row, i) => sum + (predicted[i]![0]! - row[0]!) ** 2, 0) / actual.length)

  // A model file holds the network and its parameters; the scalers go in its `extra`.
  const model = { net, params: state.params, history, extra: { scaler: { features: x.scaler, target: y.scaler } } }
  return { model, predict, rmse, test, history, earlyStopping, summary: nn.showSummary(nn.summary(net, state.params)) }
}
