/**
 * Regression: fit y = sin(x) + noise on [-π, π] with one hidden layer of tanh units and a mean
 * squared error, trained with mini-batch Adam. The data are drawn from a key, so the run is
 * reproducible bit for bit.
 *
 *   npx tsx examples/regression.ts [--epochs N] [--seed N]
 */
import { data, item, losses, nn, ops, optim, random, train } from 'purenet'
import { command, natural, positiveInt } from './cli.js'

/** `n` points x uniform in [-π, π], y = sin(x) + N(0, noise²). */
export const noisySine = (key: random.Key, n: number, noise = 0.1): data.Dataset => {
  const [kx, kn] = random.split(key, 2) as [random.Key, random.Key]
  const x = random.uniform(kx, [n, 1], { min: -Math.PI, max: Math.PI })
  const y = ops.add(ops.sin(x), random.normal(kn, [n, 1], { std: noise }))
  return data.dataset(x, y)
}

/** 1-32-1 with tanh hidden units. */
export const network = nn.serial(nn.dense(1, 32), nn.tanh, nn.dense(32, 1))

/** Trains; returns the loss history and the mean squared error against the noiseless sine. */
export const run = (options: { readonly epochs: number; readonly seed: number; readonly points?: number }) => {
  const key = random.key(options.seed)
  const [kd, kt] = random.split(key, 2) as [random.Key, random.Key]
  const ds = noisySine(kd, options.points ?? 256)
  const { state, history } = train.fit({ net: network, loss: losses.mse, optimizer: optim.adam(0.01), data: ds, epochs: options.epochs, batchSize: 32, key: kt })
  const grid = ops.reshape(ops.mul(ops.sub(ops.div(random.uniform(random.key(1), [200]), 0.5), 1), Math.PI), [200, 1])
  const fitError = item(losses.mse(network.apply(state.params)(grid), ops.sin(grid)))
  return { loss: history.loss, epochLoss: history.epochs.map((e) => e.loss), fitError }
}

const flags = { epochs: positiveInt('epochs (default 300)'), seed: natural('random seed (default 0)') }

command({ name: 'regression', usage: 'npx tsx examples/regression.ts', url: import.meta.url }, flags, (f) => {
  const r = run({ epochs: f.epochs ?? 300, seed: f.seed ?? 0 })
  process.stdout.write(`epoch loss ${r.epochLoss[0]?.toFixed(4)} -> ${r.epochLoss[r.epochLoss.length - 1]?.toFixed(4)}; mse against sin(x): ${r.fitError.toFixed(4)}\n`)
})
