// The controls: hyper-parameter selects, the dataset buttons, and the transport (play/pause),
// which shows what the user asked for the moment they ask, whatever the worker is doing.
import { type Config, batchSizes, learningRates, optimizers } from './config.js'
import { datasetNames, generate } from './datasets.js'
import { $, options } from './dom.js'
import * as draw from './draw.js'
import { page } from './state.js'

/** Shows play or pause on the button and in `body[data-state]`, synchronously. */
export const showTransport = (): void => {
  const play = $<HTMLButtonElement>('play')
  play.textContent = page.playing ? '❚❚' : '▶'
  play.classList.toggle('playing', page.playing)
  document.body.dataset['state'] = page.playing ? 'playing' : 'paused'
}

/** The selects and buttons as the configuration says. */
export const renderControls = (change: (edit: Partial<Config>) => void): void => {
  const c = page.config
  options($('learning-rate'), learningRates, c.learningRate, String, (learningRate) => change({ learningRate }))
  options($('batch-size'), batchSizes, c.batchSize, String, (batchSize) => change({ batchSize }))
  options($('optimizer'), optimizers, c.optimizer, (o) => ({ sgd: 'SGD', momentum: 'Momentum', adam: 'Adam', rmsprop: 'RMSprop' })[o], (optimizer) => change({ optimizer }))
  $('layer-count').textContent = String(c.hidden.length)
  for (const b of document.querySelectorAll<HTMLButtonElement>('#datasets button')) b.classList.toggle('selected', b.dataset['dataset'] === c.dataset)
  $('drop').classList.toggle('selected', c.dataset === 'csv')
  showTransport()
}

/** One button per built-in dataset, with a thumbnail of its points. */
export const datasetButtons = (change: (edit: Partial<Config>) => void): void => {
  $('datasets').replaceChildren(...datasetNames.map((name) => {
    const b = document.createElement('button')
    b.dataset['dataset'] = name
    b.id = `dataset-${name}`
    b.title = name
    const c = document.createElement('canvas')
    c.width = 90
    c.height = 90
    const p = generate(name, 200, 0.05, 1)
    draw.points(c, p.x, p.y, p.extent, false, 1.8)
    const caption = document.createElement('span')
    caption.textContent = { circle: 'circle', xor: 'XOR', gaussians: 'Gaussians', spirals: 'spirals' }[name]
    b.append(c, caption)
    b.onclick = () => change({ dataset: name })
    return b
  }))
}
