/**
 * The README's code is real code: each block it shows is the text of an example file, and the
 * hand-written training loop it shows computes exactly what `npm start` computes.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { losses, optim, random, train } from 'purenet'
import { loadMnist } from './mnistData.js'
import { network } from './mnist.js'
import { trainByHand } from './mnistLoop.js'
import { trainByHandJit } from './mnistLoopJit.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const source = (file: string): string => readFileSync(new URL(file, import.meta.url), 'utf8').trim()
const blocksOf = (text: string): string[] => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trim())
const blocks = blocksOf(readme)
const page = (file: string): string => readFileSync(new URL(`../docs/${file}`, import.meta.url), 'utf8')

describe('README', () => {
  it.each(['./tour.ts', './mnistLoop.ts', './mnistLoopJit.ts', './ownData.ts', './predictions.ts'])('shows %s verbatim', (file) => {
    expect(blocks).toContain(source(file))
  })

  // the pages the README links for depth show theirs the same way
  it.each([['library.md', './layerKind.ts'], ['deploying.md', './onnx.ts'], ['performance.md', './parallel.ts']])('docs/%s shows %s verbatim', (file, example) => {
    expect(blocksOf(page(file))).toContain(source(example))
  })

  it('the hand-written loop through jit gives bit-identical parameters to the eager loop', () => {
    const { train: trainSet } = loadMnist({ trainPerClass: 20 })
    const eager = trainByHand(trainSet, 1, 5)
    const compiled = trainByHandJit(trainSet, 1, 5)
    eager.forEach((layer, i) => {
      for (const name of Object.keys(layer) as Array<keyof typeof layer>) {
        expect(Array.from(layer[name].data)).toEqual(Array.from((compiled[i] as typeof layer)[name].data))
      }
    })
  })

  it("the hand-written loop gives bit-identical parameters to train.fit, as npm start trains", () => {
    const { train: trainSet } = loadMnist({ trainPerClass: 40 })
    const byHand = trainByHand(trainSet, 2, 3)
    const byFit = train.fit({ net: network, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: trainSet, epochs: 2, batchSize: 64, key: random.key(3) }).state.params
    expect(byHand.length).toBe(byFit.length)
    byHand.forEach((layer, i) => {
      for (const name of Object.keys(layer) as Array<keyof typeof layer>) {
        expect(Array.from(layer[name].data)).toEqual(Array.from((byFit[i] as typeof layer)[name].data))
      }
    })
  })
})
