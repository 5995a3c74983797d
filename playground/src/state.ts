// The page's state: one record the page's modules read and edit (the page is an application;
// the library it drives keeps no state of its own). The worker holds the run itself.
import type { Frame, Reply, Request } from 'purenet/worker'
import { type Config, initialConfig } from './config.js'
import type { Points } from './datasets.js'

export interface PageState {
  config: Config
  csvPoints: Points | undefined
  train: Points
  test: Points
  /** The latest frame the page shows (frames of a run the user paused are not applied). */
  frame: Frame | undefined
  /** What the user asked for: the page shows it at once, whatever the worker is doing. */
  playing: boolean
  /** Something to draw on the next animation frame. */
  dirty: boolean
  landscapeDirty: boolean
  landscape: Extract<Reply, { type: 'landscape' }> | undefined
  readonly curve: { steps: number[]; train: number[]; test: number[] }
  /** What each awaited `model` reply is for, oldest first. */
  readonly saves: Array<'json' | 'onnx'>
}

const empty: Points = { x: [], y: [], extent: [-6, 6, -6, 6] }

export const page: PageState = {
  config: initialConfig, csvPoints: undefined, train: empty, test: empty, frame: undefined,
  playing: false, dirty: true, landscapeDirty: false, landscape: undefined,
  curve: { steps: [], train: [], test: [] }, saves: [],
}

export const clearCurve = (): void => {
  page.curve.steps = []
  page.curve.train = []
  page.curve.test = []
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })

/** Sends a request to the worker. */
export const send = (request: Request): void => worker.postMessage(request)

/** The worker, for its replies. */
export const replies = worker
