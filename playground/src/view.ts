// Drawing the latest state once per animation frame: counters, losses, decision regions, the
// network diagram, the loss curve and the loss landscape.
import { resolution } from './config.js'
import type { Points } from './datasets.js'
import { $ } from './dom.js'
import * as draw from './draw.js'
import { drawNetwork } from './network.js'
import { page } from './state.js'

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : String(v))

// The data points and axes over the plane, drawn once per dataset and laid over every frame.
let pointsCache: { readonly of: Points; readonly canvas: HTMLCanvasElement } | undefined
const pointsLayer = (): HTMLCanvasElement => {
  if (pointsCache?.of === page.train) return pointsCache.canvas
  const canvas = document.createElement('canvas')
  canvas.width = 300
  canvas.height = 300
  draw.points(canvas, page.train.x, page.train.y, page.train.extent, false)
  draw.points(canvas, page.test.x, page.test.y, page.test.extent, true)
  draw.axes(canvas, page.train.extent)
  pointsCache = { of: page.train, canvas }
  return canvas
}

/** Draws what changed since the last animation frame, and asks for the next one. */
export const render = (): void => {
  requestAnimationFrame(render)
  if (!page.dirty) return
  page.dirty = false
  const regions = $<HTMLCanvasElement>('regions')
  const frame = page.frame
  if (frame !== undefined) {
    $('step-count').textContent = frame.step.toLocaleString('en')
    $('epoch-count').textContent = frame.epoch.toLocaleString('en')
    $('train-loss').textContent = fmt(frame.trainLoss)
    $('test-loss').textContent = fmt(frame.testLoss)
    draw.heatMap(regions, frame.field.map((p) => 2 * p - 1), resolution, (v) => draw.diverging(0.75 * v))
    drawNetwork(frame)
  } else {
    regions.getContext('2d')!.clearRect(0, 0, regions.width, regions.height)
  }
  regions.getContext('2d')!.drawImage(pointsLayer(), 0, 0)
  draw.lossChart($('loss-chart'), page.curve.steps, page.curve.train, page.curve.test)
  const l = page.landscape
  if (l !== undefined && page.landscapeDirty) {
    page.landscapeDirty = false
    draw.landscape($('landscape'), l.alphas, l.betas, l.losses, l.path)
    $('landscape-note').textContent = `The loss on the plane through the first weights (□, α = 1) and the current ones (●, α = 0); white: the optimizer's path (${l.path.length} points).`
  }
}
