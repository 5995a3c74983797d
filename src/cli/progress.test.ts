import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { Terminal } from './outcome.js'
import { progress } from './progress.js'

const terminal = (tty: boolean) => {
  const lines: string[] = []
  const stream = Object.assign(new PassThrough(), { isTTY: tty, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true })
  let drawn = ''
  stream.on('data', (d: Buffer) => { drawn += d.toString() })
  const t: Terminal = { out: (l) => { lines.push(l) }, err: () => undefined, stdout: stream, tty }
  return { t, lines, drawn: () => drawn }
}

// 3 epochs of 2 steps, 10 examples an epoch, 100 ms a step
const drive = (t: Terminal): void => {
  let clock = 0
  const p = progress(t, { epochs: 3, stepsPerEpoch: 2, examples: 10, startStep: 0 }, () => clock)
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let b = 0; b < 2; b++) {
      clock += 100
      p.step(epoch, 1 + epoch + b, b === 1, () => '  accuracy 0.5000')
    }
  }
  p.finish()
}

describe('progress', () => {
  it('off a terminal: a line per epoch (for short runs) and a summary, with the throughput', () => {
    const { t, lines } = terminal(false)
    drive(t)
    expect(lines).toEqual([
      'epoch 1/3  loss 1.5000  accuracy 0.5000  50 samples/s',
      'epoch 2/3  loss 2.5000  accuracy 0.5000  50 samples/s',
      'epoch 3/3  loss 3.5000  accuracy 0.5000  50 samples/s',
      "trained 6 steps in 0.6 s (50 samples/s), last epoch's loss 3.5000",
    ])
  })

  it('on a terminal: a bar with the epoch, the running mean loss of the epoch and the throughput, then the summary', () => {
    const { t, lines, drawn } = terminal(true)
    drive(t)
    expect(drawn()).toMatch(/epoch 1\/3 \[[^\]]*\] 0% \| loss - \| - samples\/s/)
    // the last drawing shows the epoch's running mean (batches 3 and 4: 3.5), not the last batch's 4
    expect(drawn()).toMatch(/epoch 3\/3 \[[^\]]*\] 100% \| loss 3\.5000 \| 50 samples\/s/)
    expect(drawn()).not.toMatch(/loss 4\.0000/)
    expect(lines).toEqual(["trained 6 steps in 0.6 s (50 samples/s), last epoch's loss 3.5000"])
  })

  it('abort stops the bar without a summary (a failed run ends with its error)', () => {
    const { t, lines } = terminal(false)
    const p = progress(t, { epochs: 3, stepsPerEpoch: 2, examples: 10, startStep: 0 }, () => 0)
    p.abort()
    expect(lines).toEqual([])
  })
})
