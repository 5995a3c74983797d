/**
 * Progress of `purenet train`: on a terminal, a bar over all the steps with the epoch (counted
 * from 1), the running mean loss of the epoch so far (the number its epoch line ends with, not the
 * last batch's, which jumps about) and the throughput; elsewhere (a pipe, a log file, CI), a line every tenth of the run, so
 * logs stay short. Both end with a summary line.
 */
import { SingleBar } from 'cli-progress'
import type { Terminal } from './outcome.js'

/** What the reporter needs to know of the run. */
export interface RunShape {
  readonly epochs: number
  readonly stepsPerEpoch: number
  /** The examples one epoch visits. */
  readonly examples: number
  /** The step the run starts from (0, or a checkpoint's step). */
  readonly startStep: number
}

/** A progress reporter: told of every step, then of the end. */
export interface Progress {
  readonly step: (epoch: number, loss: number, epochEnd: boolean, metric: () => string) => void
  readonly finish: () => void
  /** Stops the bar without a summary, for a run that failed (its error is the last word). */
  readonly abort: () => void
}

const rate = (samples: number, ms: number): string => (ms > 0 ? `${Math.round((samples * 1000) / ms).toLocaleString('en-US')} samples/s` : '- samples/s')

/** A reporter that draws on `terminal`, using `now()` (milliseconds) for the throughput. */
export const progress = (terminal: Terminal, run: RunShape, now: () => number): Progress => {
  const total = run.epochs * run.stepsPerEpoch
  const every = Math.max(1, Math.floor(run.epochs / 10))
  const batchSize = run.stepsPerEpoch === 0 ? 0 : run.examples / run.stepsPerEpoch
  const bar = terminal.tty
    ? new SingleBar({
        format: 'epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} | {speed} | ETA {eta_formatted}',
        stream: terminal.stdout,
        hideCursor: true,
        etaBuffer: 50,
      })
    : undefined
  const started = now()
  let done = run.startStep
  let epochStart = started
  let epochLoss = 0
  let epochSteps = 0
  let lastEpochLoss = NaN
  bar?.start(total, done, { epoch: Math.floor(done / Math.max(1, run.stepsPerEpoch)) + 1, epochs: run.epochs, loss: '-', speed: '- samples/s' })
  return {
    step: (epoch, loss, epochEnd, metric) => {
      done++
      epochLoss += loss
      epochSteps++
      const t = now()
      const speed = rate(epochSteps * batchSize, t - epochStart)
      bar?.update(done, { epoch: epoch + 1, loss: (epochLoss / epochSteps).toFixed(4), speed })
      if (epochEnd) {
        lastEpochLoss = epochLoss / epochSteps
        const line = `epoch ${String(epoch + 1).padStart(String(run.epochs).length)}/${run.epochs}  loss ${(epochLoss / epochSteps).toFixed(4)}${metric()}  ${rate(run.examples, t - epochStart)}`
        if (bar === undefined && ((epoch + 1) % every === 0 || epoch === 0 || epoch + 1 === run.epochs)) terminal.out(line)
        epochStart = t
        epochLoss = 0
        epochSteps = 0
      }
    },
    abort: () => {
      bar?.stop()
    },
    finish: () => {
      bar?.stop()
      const steps = done - run.startStep
      const seconds = (now() - started) / 1000
      terminal.out(
        steps === 0
          ? `nothing to train: the run had already taken its ${done} steps`
          : `trained ${steps} steps in ${seconds.toFixed(1)} s (${rate(steps * batchSize, seconds * 1000)})${Number.isNaN(lastEpochLoss) ? '' : `, last epoch's loss ${lastEpochLoss.toFixed(4)}`}`,
      )
    },
  }
}
