/**
 * A character-level language model: an embedding, a GRU and a dense layer applied at every step,
 * trained to predict the next character of a small corpus, then sampled one character at a time.
 *
 * The corpus is `examples/data/neurons.txt`: 23 KB of original plain prose about neurons,
 * gradients and training loops, written for this repository (MIT, as the rest of it). Its first
 * 90% is the training text and the last 10% the held-out text. The vocabulary is every character
 * of the corpus, sorted by code point, so its order is the same on every run.
 *
 * Training cuts the training text into windows of `window` characters (one every `stride`), with
 * the next character of every position as the targets, and fits them with Adam by `train.fit`
 * (batches shuffled by key, one compiled step). The loss is the mean cross-entropy of every
 * position of every window, printed in bits per character. Sampling reads the last `window`
 * characters (from a zero state, as in training), draws the next one from softmax(logits /
 * temperature) with a key folded from the run's key and the character's position, and repeats:
 * the same key gives the same text, bit for bit.
 *
 *   npx tsx examples/charRnn.ts [--epochs N] [--seed S] [--hidden H] [--window T] [--chars N]
 *                               [--temperature X] [--prompt "The "]
 */
import { readFileSync } from 'node:fs'
import { ShapeError, data, losses, nn, ops, optim, random, rl, tensor, train, type Tensor } from 'purenet'
import { bool, command, natural, positive, positiveInt } from './cli.js'
import * as t from 'io-ts'

/** The characters of a corpus, sorted by code point, and the index of each. */
export interface Vocabulary {
  readonly chars: ReadonlyArray<string>
  readonly index: ReadonlyMap<string, number>
}

/** The vocabulary of `text`: its distinct characters (code points) in code-point order. */
export const vocabulary = (text: string): Vocabulary => {
  const chars = Object.freeze([...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!))
  return Object.freeze({ chars, index: new Map(chars.map((c, i) => [c, i])) })
}

const show = (c: string): string => `'${JSON.stringify(c).slice(1, -1)}' (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`

/**
 * The indices of the characters of `text`; a character outside the vocabulary throws a
 * RangeError naming it, its position and `what` the text is.
 */
export const encode = (vocab: Vocabulary, text: string, what = 'text'): ReadonlyArray<number> =>
  Array.from(text).map((c, i) => {
    const k = vocab.index.get(c)
    if (k === undefined) {
      throw new RangeError(`charRnn: the ${what} has the character ${show(c)} at position ${i}, which is not in the vocabulary of ${vocab.chars.length} characters of the corpus; use only these: ${JSON.stringify(vocab.chars.join(''))}`)
    }
    return k
  })

/** The characters of indices. */
export const decode = (vocab: Vocabulary, codes: ReadonlyArray<number>): string => codes.map((k) => vocab.chars[k]!).join('')

/**
 * Windows of `length` characters, one starting every `stride`: x [n, length] holds the characters
 * and y [n, length] the character after each (the same window shifted by one).
 */
export const windows = (codes: ReadonlyArray<number>, length: number, stride: number): data.Dataset => {
  const n = Math.floor((codes.length - 1 - length) / stride) + 1
  if (n < 1) throw new RangeError(`charRnn: a text of ${codes.length} characters has no window of ${length + 1}; use a shorter --window`)
  const x = new Float32Array(n * length), y = new Float32Array(n * length)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < length; j++) {
      x[i * length + j] = codes[i * stride + j]!
      y[i * length + j] = codes[i * stride + j + 1]!
    }
  }
  return data.dataset(tensor(x, { shape: [n, length] }), tensor(y, { shape: [n, length] }))
}

/** The sizes of the model; its parameters do not depend on the window length. */
export interface Sizes {
  readonly vocab: number
  readonly embed: number
  readonly hidden: number
}

/**
 * `layer` [batch, inSize] applied at every one of `length` steps with the same parameters:
 * [batch, length, inSize] (or rows [batch, length · inSize]) to rows [batch, length · outSize]
 * (Keras's TimeDistributed).
 */
export const perStep = <P>(layer: nn.Layer<P, number, number>, length: number): nn.Layer<P, number, number> => {
  const name = `perStep(${layer.name}, length ${length})`
  return Object.freeze({
    name,
    inSize: length * layer.inSize,
    outSize: length * layer.outSize,
    spec: Object.freeze({ kind: 'custom' as const, name }),
    init: layer.init,
    apply: (params: P) => {
      const f = layer.apply(params)
      return (x: Tensor, ctx?: nn.ApplyContext): Tensor => {
        const batch = x.shape[0]!
        if (x.shape.reduce((a, b) => a * b, 1) !== batch * length * layer.inSize) {
          throw new ShapeError(name, [x.shape], `expects [batch, ${length}, ${layer.inSize}] or rows [batch, ${length * layer.inSize}]`)
        }
        return ops.reshape(f(ops.reshape(x, [batch * length, layer.inSize]), ctx), [batch, length * layer.outSize])
      }
    },
  })
}

/** The network for windows of `length` characters: embedding, GRU, a dense layer per step. */
export const charNet = (sizes: Sizes, length: number) =>
  nn.serial(nn.embedding(sizes.vocab, sizes.embed, { length }), nn.gru(sizes.embed, sizes.hidden, length), perStep(nn.dense(sizes.hidden, sizes.vocab), length))

/** The parameters of `charNet` (the same for every length). */
export type CharParams = nn.ParamsOf<ReturnType<typeof charNet>>

/** A trained model: what `sample` needs besides the parameters. */
export interface CharModel {
  readonly vocab: Vocabulary
  readonly sizes: Sizes
  /** The context read before each draw (the training window). */
  readonly window: number
}

/**
 * The mean cross-entropy (nats) of logits rows [batch, length · vocab] against the next
 * characters [batch, length].
 */
export const sequenceLoss = (vocab: number): train.Loss => (logits, targets) => {
  const n = targets.shape.reduce((a, b) => a * b, 1)
  return losses.softmaxCrossEntropy(ops.reshape(logits, [n, vocab]), ops.reshape(targets, [n]))
}

/** Bits per character of `params` on every position of the windows of `ds` (evaluation mode). */
export const bitsPerChar = (sizes: Sizes, params: CharParams, ds: data.Dataset, chunk = 128): number => {
  const length = ds.x.shape[1]!
  const net = charNet(sizes, length)
  const loss = sequenceLoss(sizes.vocab)
  let total = 0
  const n = data.size(ds)
  for (let i = 0; i < n; i += chunk) {
    const part = data.slice(ds, i, Math.min(n, i + chunk))
    total += ops.sum(loss(net.apply(params)(part.x, { mode: 'eval' }), part.y)).data[0]! * data.size(part)
  }
  return total / n / Math.LN2
}

/** The entropy in bits of the character frequencies of `codes`: the cost of a model that ignores order. */
export const unigramBits = (codes: ReadonlyArray<number>): number => {
  const counts = new Map<number, number>()
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1)
  let h = 0
  for (const k of counts.values()) h -= (k / codes.length) * Math.log2(k / codes.length)
  return h
}

/**
 * `n` characters generated after `prompt`, one at a time: each is drawn from softmax(logits /
 * temperature) of the model reading the last `model.window` characters, with the key
 * `random.foldIn(key, i)` for the i-th character. The same key gives the same text; the prompt
 * must be non-empty and made of characters of the vocabulary (another throws naming it).
 */
export const sample = (model: CharModel, params: CharParams, key: random.Key, prompt: string, n: number, temperature = 1): string => {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`charRnn.sample: temperature must be a positive number, got ${temperature}`)
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`charRnn.sample: n must be a whole number of characters, got ${n}`)
  const codes = [...encode(model.vocab, prompt, 'prompt')]
  if (codes.length === 0) throw new RangeError('charRnn.sample: the prompt is empty; give at least one character to start from')
  // one network per context length (a prompt shorter than the window), sharing the parameters
  const nets = new Map<number, (x: Tensor) => Tensor>()
  const v = model.sizes.vocab
  const start = codes.length
  for (let i = 0; i < n; i++) {
    const context = codes.slice(-model.window)
    const length = context.length
    const net = nets.get(length) ?? charNet(model.sizes, length).apply(params)
    nets.set(length, net)
    const logits = net(tensor(context, { shape: [1, length] }))
    const last = Array.from(logits.data.subarray((length - 1) * v, length * v), (z) => z / temperature)
    codes.push(rl.sampleCategorical(random.foldIn(key, i), last))
  }
  return decode(model.vocab, codes.slice(start))
}

/** The corpus that ships with the repository. */
export const loadCorpus = (): string => readFileSync(new URL('./data/neurons.txt', import.meta.url), 'utf8')

/** Options of `run`; every field has a default, listed with it. */
export interface RunOptions {
  /** The corpus (default `examples/data/neurons.txt`). */
  readonly text?: string
  /** The random seed (default 0): initial weights, shuffling, and the sample's key. */
  readonly seed?: number
  readonly epochs?: number
  /** Characters per training window (default 64). */
  readonly window?: number
  /** Characters between the starts of training windows (default window / 4). */
  readonly stride?: number
  /** Embedding size (default 32) and GRU units (default 128). */
  readonly embed?: number
  readonly hidden?: number
  /** Windows per batch (default 32). */
  readonly batch?: number
  /** Adam's learning rate (default 0.003). */
  readonly learningRate?: number
  /** The share of the corpus, at its end, held out (default 0.1). */
  readonly heldOut?: number
  /** Called once the model is measured before training, just before the first step (for timing). */
  readonly onStart?: () => void
  /** Called after every epoch with the mean training bits of its batches and the held-out bits. */
  readonly onEpoch?: (epoch: number, trainBits: number, heldOutBits: number) => void
}

/** Bits per character on the training and held-out text (windows that do not overlap). */
export interface Bits {
  readonly train: number
  readonly heldOut: number
}

/** What `run` returns. */
export interface RunResult {
  readonly model: CharModel
  readonly params: CharParams
  /** The entropy of the training text's character frequencies, in bits. */
  readonly unigram: number
  readonly before: Bits
  readonly after: Bits
  /** Per epoch: the mean bits of its training batches and the held-out bits after it. */
  readonly epochs: ReadonlyArray<Bits>
  readonly steps: number
  readonly trainChars: number
  readonly heldOutChars: number
}

/** Trains the model on the corpus (see `RunOptions` for the defaults); pure given the text and the seed. */
export const run = (options: RunOptions = {}): RunResult => {
  const text = options.text ?? loadCorpus()
  const seed = options.seed ?? 0
  const epochs = options.epochs ?? 10
  const window = options.window ?? 64
  const stride = options.stride ?? Math.max(1, Math.floor(window / 4))
  const vocab = vocabulary(text)
  const fullSizes: Sizes = { vocab: vocab.chars.length, embed: options.embed ?? 32, hidden: options.hidden ?? 128 }
  const codes = encode(vocab, text, 'corpus')
  const cut = Math.round(codes.length * (1 - (options.heldOut ?? 0.1)))
  const [trainCodes, heldOutCodes] = [codes.slice(0, cut), codes.slice(cut)]
  const trainSet = windows(trainCodes, window, stride)
  const trainEval = windows(trainCodes, window, window)
  const heldOutSet = windows(heldOutCodes, window, window)
  const net = charNet(fullSizes, window)
  const optimizer = optim.adam(options.learningRate ?? 0.003)
  const loss = sequenceLoss(fullSizes.vocab)
  const [initKey, fitKey] = random.split(random.key(seed), 2) as [random.Key, random.Key]
  const initial = train.initialState({ net, optimizer, key: initKey })
  const measure = (params: CharParams): Bits => ({ train: bitsPerChar(fullSizes, params, trainEval), heldOut: bitsPerChar(fullSizes, params, heldOutSet) })
  const before = measure(initial.params)
  const perEpoch: Bits[] = []
  options.onStart?.()
  const fitted = train.fit({
    net, loss, optimizer, data: trainSet, epochs, batchSize: options.batch ?? 32, key: fitKey, initialState: initial,
    validation: heldOutSet,
    onEpoch: (record) => {
      const bits = { train: record.loss / Math.LN2, heldOut: record.metrics['val_loss']! / Math.LN2 }
      perEpoch.push(bits)
      options.onEpoch?.(record.epoch, bits.train, bits.heldOut)
    },
  })
  const params = fitted.state.params
  return {
    model: { vocab, sizes: fullSizes, window }, params, unigram: unigramBits(trainCodes), before, after: measure(params),
    epochs: perEpoch, steps: fitted.state.step, trainChars: trainCodes.length, heldOutChars: heldOutCodes.length,
  }
}

/** A number in (0, 1): the held-out share. */
const fraction = (help: string) => ({
  type: 'string' as const,
  codec: new t.Type<number, unknown, unknown>('number in (0, 1)', (u): u is number => typeof u === 'number' && u > 0 && u < 1, (u, c) => {
    const n = typeof u === 'string' && u.trim() !== '' ? Number(u) : NaN
    return n > 0 && n < 1 ? t.success(n) : t.failure(u, c, `expected a number in (0, 1), got ${JSON.stringify(u)}`)
  }, (n) => n),
  help,
})

const flags = {
  epochs: positiveInt('passes over the training windows (default 10)'),
  seed: natural('random seed: weights, shuffling and the sample (default 0)'),
  window: positiveInt('characters per training window and sampling context (default 64)'),
  stride: positiveInt('characters between training windows (default window / 4)'),
  embed: positiveInt('embedding size (default 32)'),
  hidden: positiveInt('GRU units (default 128)'),
  batch: positiveInt('windows per batch (default 32)'),
  lr: positive('Adam learning rate (default 0.003)'),
  'held-out': fraction('share of the corpus held out at its end (default 0.1)'),
  chars: natural('characters to generate (default 400)'),
  temperature: positive('sampling temperature (default 0.8)'),
  prompt: { type: 'string' as const, codec: t.string, help: 'the text to continue (default "The ")' },
  help: bool('print this help'),
}

// The command: trains, prints bits per character per epoch, then a sample.
command({ name: 'charRnn', usage: 'npx tsx examples/charRnn.ts', url: import.meta.url }, flags, (f) => {
  const started = performance.now()
  let [trainStart, last, trained] = [started, started, 0]
  // a bad prompt is reported before minutes of training, not after
  const prompt = f.prompt ?? 'The '
  encode(vocabulary(loadCorpus()), prompt, 'prompt')
  const result = run({
    seed: f.seed ?? 0,
    ...(f.epochs === undefined ? {} : { epochs: f.epochs }),
    ...(f.window === undefined ? {} : { window: f.window }),
    ...(f.stride === undefined ? {} : { stride: f.stride }),
    ...(f.embed === undefined ? {} : { embed: f.embed }),
    ...(f.hidden === undefined ? {} : { hidden: f.hidden }),
    ...(f.batch === undefined ? {} : { batch: f.batch }),
    ...(f.lr === undefined ? {} : { learningRate: f.lr }),
    ...(f['held-out'] === undefined ? {} : { heldOut: f['held-out'] }),
    onStart: () => { trainStart = last = performance.now() },
    onEpoch: (epoch, trainBits, heldOutBits) => {
      const now = performance.now()
      trained = now - trainStart
      process.stdout.write(`epoch ${String(epoch + 1).padStart(3)}  train ${trainBits.toFixed(3)} bits/char  held-out ${heldOutBits.toFixed(3)}  ${((now - last) / 1000).toFixed(1)} s\n`)
      last = now
    },
  })
  const seconds = (performance.now() - started) / 1000
  const { model, before, after } = result
  process.stdout.write(`vocabulary ${model.sizes.vocab} characters; ${result.trainChars} training and ${result.heldOutChars} held-out characters; unigram entropy ${result.unigram.toFixed(3)} bits/char\n`)
  process.stdout.write(`bits/char before training: train ${before.train.toFixed(3)}, held-out ${before.heldOut.toFixed(3)}; after: train ${after.train.toFixed(3)}, held-out ${after.heldOut.toFixed(3)}\n`)
  process.stdout.write(`${result.steps} steps in ${(trained / 1000).toFixed(1)} s of training (${(result.steps / (trained / 1000)).toFixed(2)} steps/s, held-out evaluation included); ${seconds.toFixed(1)} s in all\n`)
  const sampleStarted = performance.now()
  const text = sample(model, result.params, random.foldIn(random.key(f.seed ?? 0), 1), prompt, f.chars ?? 400, f.temperature ?? 0.8)
  process.stdout.write(`sample (temperature ${f.temperature ?? 0.8}, ${((performance.now() - sampleStarted) / 1000).toFixed(1)} s):\n${prompt}${text}\n`)
})
