/**
 * The character-level GRU example in quick mode: a small model trained for a few hundred steps
 * on the bundled corpus must beat the unigram entropy clearly, and sampling must be keyed,
 * deterministic and inside the vocabulary.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { random, toFlatArray } from 'purenet'
import { type RunResult, encode, loadCorpus, run, sample, unigramBits, vocabulary, windows } from './charRnn.js'

describe('charRnn: the pieces', () => {
  it('the vocabulary is sorted by code point, whatever the order of the text', () => {
    expect(vocabulary('cabbage').chars).toEqual(['a', 'b', 'c', 'e', 'g'])
    expect(vocabulary('gabbace').chars).toEqual(vocabulary('cabbage').chars)
  })

  it('windows pair each character with the next one', () => {
    const ds = windows([0, 1, 2, 3, 4, 5, 6], 3, 2)
    expect(ds.x.shape).toEqual([2, 3])
    expect(toFlatArray(ds.x)).toEqual([0, 1, 2, 2, 3, 4])
    expect(toFlatArray(ds.y)).toEqual([1, 2, 3, 3, 4, 5])
  })

  it('the bundled corpus is 20-60 KB of plain text, and its unigram entropy is about 4.2 bits', () => {
    const text = loadCorpus()
    expect(text.length).toBeGreaterThan(20_000)
    expect(text.length).toBeLessThan(60_000)
    const h = unigramBits(encode(vocabulary(text), text))
    expect(h).toBeGreaterThan(3.8)
    expect(h).toBeLessThan(4.6)
  })
})

describe('charRnn (quick mode)', () => {
  let r: RunResult
  beforeAll(() => {
    // about 250 Adam steps of a 16-64 GRU on windows of 32; measured 2.14 (train) and 2.40
    // (held-out) bits per character after them, against a unigram entropy of 4.24
    r = run({ epochs: 3, window: 32, stride: 8, embed: 16, hidden: 64, learningRate: 0.01, seed: 0 })
  }, 300_000)

  it('trains to well below the unigram entropy, on the training and on the held-out text', () => {
    expect(r.steps).toBeGreaterThan(200)
    // untrained, the model is about uniform over the vocabulary: log2(51) = 5.67 bits
    expect(r.before.train).toBeGreaterThan(r.unigram)
    expect(r.after.train).toBeLessThan(r.unigram - 1)
    expect(r.after.heldOut).toBeLessThan(r.unigram - 1)
    expect(r.epochs.at(-1)!.heldOut).toBeLessThan(r.epochs[0]!.heldOut)
  })

  it('generates the same text for the same key, another for another key, all in the vocabulary', () => {
    const a = sample(r.model, r.params, random.key(1), 'The ', 120)
    expect(sample(r.model, r.params, random.key(1), 'The ', 120)).toBe(a)
    expect(sample(r.model, r.params, random.key(2), 'The ', 120)).not.toBe(a)
    expect(Array.from(a)).toHaveLength(120)
    for (const c of a) expect(r.model.vocab.chars).toContain(c)
    // a prompt longer than the window is read through its last window characters
    const long = 'A training loop is a fold. It starts with a state that holds the weights. '
    expect(Array.from(sample(r.model, r.params, random.key(3), long, 40)).every((c) => r.model.vocab.index.has(c))).toBe(true)
  })

  it('a temperature near zero is the greedy choice: the key no longer matters', () => {
    expect(sample(r.model, r.params, random.key(1), 'The ', 60, 1e-4)).toBe(sample(r.model, r.params, random.key(2), 'The ', 60, 1e-4))
  })

  it('a prompt character outside the vocabulary is an error naming it and its position', () => {
    expect(() => sample(r.model, r.params, random.key(0), 'The café', 10)).toThrow(/prompt has the character 'é' \(U\+00E9\) at position 7, which is not in the vocabulary of 51 characters/)
    expect(() => sample(r.model, r.params, random.key(0), 'Zero', 10)).toThrow(/character 'Z' \(U\+005A\) at position 0/)
    expect(() => sample(r.model, r.params, random.key(0), '', 10)).toThrow(/prompt is empty/)
    expect(() => sample(r.model, r.params, random.key(0), 'The ', 10, 0)).toThrow(/temperature must be a positive number, got 0/)
  })
})
