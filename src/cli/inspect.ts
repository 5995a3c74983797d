/**
 * `purenet inspect`: what a model file holds, without running it: the architecture, every layer
 * with its parameter count and shapes, the training history in brief, and what `purenet train`
 * recorded about the data and the run (or a checkpoint's run). Works on checkpoints too.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from '../ioNamespace.js'
import * as nn from '../nn/index.js'
import { bool, parseFlags, usageOf } from './flags.js'
import { decodeModelInfo } from './modelInfo.js'
import { isOnnxPath, loadOnnxModel } from './onnxModel.js'
import { type Outcome, type Terminal, inputError, usageError } from './outcome.js'
import { printable } from './printable.js'

/** The flags of `purenet inspect`. */
export const inspectFlags = {
  help: bool('show this help'),
} as const

/** The usage of `purenet inspect`. */
export const inspectUsage = usageOf('purenet inspect <model.json | model.onnx>', inspectFlags)

const count = (n: number): string => n.toLocaleString('en-US')

/** Runs `purenet inspect` with the words after `inspect`. */
export const inspectCommand = async (argv: ReadonlyArray<string>, terminal: Terminal): Promise<Outcome> => {
  const parsed = parseFlags(argv, inspectFlags, 1)
  if (E.isLeft(parsed)) return usageError(parsed.left)
  const path = parsed.right.positionals[0]
  if (path === undefined) return usageError('give the model file to inspect: purenet inspect <model.json>')
  const onnx = isOnnxPath(path) ? await loadOnnxModel(path) : undefined
  if (onnx !== undefined && E.isLeft(onnx)) return inputError(onnx.left)
  const loaded = onnx !== undefined && E.isRight(onnx) ? E.right(onnx.right.model) : await io.loadModel(path)
  if (E.isLeft(loaded)) return inputError(loaded.left.message.replace(/^io\.loadModel: /, ''))
  const m = loaded.right
  terminal.out(onnx !== undefined && E.isRight(onnx) ? `${path}: ONNX model, input [batch, ${onnx.right.inputShape.join(', ')}]` : `${path}: ${io.modelFormat} version ${io.modelVersion}`)
  terminal.out(`architecture  ${m.net.name}`)

  for (const line of nn.showSummary(nn.summary(m.net, m.params)).split('\n')) terminal.out(line)

  const h = m.history
  if (h === undefined || (h.loss.length === 0 && h.epochs.length === 0)) terminal.out(`training      ${m.step === undefined ? 'no history saved' : `${m.step} steps, no history saved`}`)
  else {
    terminal.out(`training      ${count(m.step ?? h.loss.length)} steps, ${h.epochs.length} epochs`)
    const first = h.epochs[0]
    const last = h.epochs[h.epochs.length - 1]
    if (first !== undefined && last !== undefined) {
      const best = h.epochs.reduce((b, e) => (e.loss < b.loss ? e : b), first)
      terminal.out(`  loss        ${first.loss.toFixed(4)} (epoch ${first.epoch + 1}) -> ${last.loss.toFixed(4)} (epoch ${last.epoch + 1}); lowest ${best.loss.toFixed(4)} (epoch ${best.epoch + 1})`)
      for (const [name, value] of Object.entries(last.metrics)) terminal.out(`  ${name.padEnd(10)}  ${value.toFixed(4)} (epoch ${last.epoch + 1})`)
    } else if (h.loss.length > 0) {
      terminal.out(`  loss        ${h.loss[0]!.toFixed(4)} (step 1) -> ${h.loss[h.loss.length - 1]!.toFixed(4)} (step ${h.loss.length})`)
    }
  }
  const info = decodeModelInfo(m.extra)
  if (E.isRight(info)) {
    const d = info.right
    // names from the file, escaped (printable.ts): a line break or a terminal escape shows as \u000a, \u001b
    const from = d.images === undefined
      ? `${d.features.length} features: ${d.features.map(printable).join(', ')}`
      : `IDX images [${d.images.shape.join(', ')}] (height, width, channels; pixels times ${Number(d.images.scale.toPrecision(6))})`
    terminal.out(`data          target "${printable(d.target)}" (${d.task}${d.classes === undefined ? '' : `: ${d.classes.map(printable).join(', ')}`}) from ${from}`)
    if (d.training !== undefined) {
      const t = d.training
      terminal.out(`run           ${t.optimizer} lr ${t.lr}, batch ${t.batch}, ${t.epochs} epochs, seed ${t.seed}`)
    }
    const s = d.scaler
    if (s !== undefined) {
      const how = (k: 'standardize' | 'minMax'): string => (k === 'standardize' ? 'standardized' : 'scaled to [0, 1]')
      const parts = [...(s.features === undefined ? [] : [`features ${how(s.features.kind)}`]), ...(s.target === undefined ? [] : [`target ${how(s.target.kind)} (the losses above are in its scaled units)`])]
      terminal.out(`scaling       ${parts.join('; ')}; eval and predict apply it`)
    }
  } else if (m.extra !== undefined) {
    const keys = Object.keys(m.extra).filter((k) => k !== io.checkpointExtraKey)
    if (keys.length > 0) terminal.out(`extra         ${keys.map(printable).join(', ')}`)
  }
  const checkpoint = io.checkpointFromModel(m)
  if (E.isRight(checkpoint)) {
    const r = checkpoint.right.checkpoint.run
    terminal.out(`checkpoint    after step ${m.step}; run key [${r.key.words.join(', ')}], batch ${r.batchSize}, ${r.examples} examples; optimizer state saved`)
  }
  return E.right(undefined)
}
