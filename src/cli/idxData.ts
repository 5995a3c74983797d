/**
 * IDX files (the MNIST format) as the command reads them, through `data.fromIdx`: images and
 * their class labels for `train` and `eval`, images alone for `predict`.
 *
 * - Images: a file of unsigned bytes (type 0x08) of shape [n, height, width] (one channel, as
 *   MNIST and Fashion-MNIST) or [n, height, width, channels]. Pixels are divided by 255, into
 *   [0, 1] (torchvision's `ToTensor`); nothing else is fitted (`--normalize` is for CSV columns: a
 *   `batchNorm` layer normalises further). The network gets NHWC images [n, h, w, c], the layout
 *   of `conv2d`, when its first sized layer takes images (conv2d, a pool, an image batchNorm), and
 *   rows [n, h·w·c] otherwise (a network starting with dense).
 * - Labels: a file of integers (unsigned or signed bytes, int16, int32) of shape [n], the class
 *   indices 0..k-1 of a network with k outputs.
 *
 * Every failure names the file: not IDX (the magic number), gzip-compressed, truncated or too long,
 * not images or not labels, images of another size than the network takes, a label out of range,
 * image and label counts that differ.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import { readBoundedFile } from '../io/boundedRead.js'
import type { ImageShape } from '../nn/index.js'
import { type Tensor, alloc, fromData } from '../tensor/index.js'
import { maxFileBytes, readFailure } from './files.js'
import { type Failure, inputError } from './outcome.js'

/** What pixels are multiplied by: bytes 0..255 to [0, 1]. */
export const pixelScale = 1 / 255

/** Images read from an IDX file: [n, h, w, c] pixels in [0, 1], and the shape of one. */
export interface IdxImages {
  readonly x: Tensor
  readonly shape: ImageShape
}

const typeName = (code: number): string => (data.idxTypes as Readonly<Record<number, { readonly name: string }>>)[code]?.name ?? `type ${code}`

const plural = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`

// The bytes of a file and its decoded tensor, or the failure naming it.
const readIdx = async (path: string, what: string, scale: number): Promise<E.Either<Failure, { readonly code: number; readonly t: Tensor }>> => {
  const read = await readBoundedFile(path, maxFileBytes)
  if (E.isLeft(read)) return readFailure(path, what, read.left)
  const bytes = read.right
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return inputError(`${path}: the file is gzip-compressed (the MNIST downloads are .gz files); decompress it first (gunzip -k ${path}) and give the decompressed file`)
  }
  const decoded = data.fromIdx(bytes, { scale })
  if (E.isLeft(decoded)) {
    return inputError(`${path}: ${decoded.left.message.replace(/^data\.fromIdx: /, '').replace(/\bthe buffer\b/g, 'the file')}; expected ${what}`)
  }
  return E.right({ code: bytes[2]!, t: decoded.right })
}

/**
 * An IDX file of images as [n, h, w, c] pixels in [0, 1], or the failure naming the file: not
 * IDX, not unsigned bytes, not [n, h, w] or [n, h, w, c].
 */
export const readIdxImages = async (path: string): Promise<E.Either<Failure, IdxImages>> => {
  const what = 'an IDX file of images (unsigned bytes [n, height, width], as train-images-idx3-ubyte)'
  const r = await readIdx(path, what, pixelScale)
  if (E.isLeft(r)) return r
  const { code, t } = r.right
  const s = t.shape
  if (s.length !== 3 && s.length !== 4) {
    return inputError(`${path}: holds ${s.length === 1 ? 'a list' : 'an array'} of shape [${s.join(', ')}], not images; expected ${what}${s.length === 1 ? ' (is this the labels file?)' : ''}`)
  }
  if (code !== 0x08) return inputError(`${path}: holds ${typeName(code)}s; images are unsigned bytes (type 0x08), pixels 0..255`)
  const shape = [s[1]!, s[2]!, s[3] ?? 1] as const
  if (s[0] === 0 || shape.some((d) => d === 0)) return inputError(`${path}: holds no pixels (shape [${s.join(', ')}]); expected ${what}`)
  return E.right({ x: fromData([s[0]!, ...shape], t.data), shape })
}

/**
 * An IDX file of class labels [n], integers in 0..classes-1, as a float tensor of class
 * indices; or the failure naming the file and the first bad label.
 */
export const readIdxLabels = async (path: string, classes: number): Promise<E.Either<Failure, Tensor>> => {
  const what = 'an IDX file of class labels (integers [n], as train-labels-idx1-ubyte)'
  const r = await readIdx(path, what, 1)
  if (E.isLeft(r)) return r
  const { code, t } = r.right
  if (t.shape.length !== 1) return inputError(`${path}: holds an array of shape [${t.shape.join(', ')}], not one label per example; expected ${what}${t.shape.length >= 3 ? ' (is this the images file?)' : ''}`)
  if (code === 0x0d || code === 0x0e) return inputError(`${path}: holds ${typeName(code)}s; class labels are integers (unsigned bytes, as MNIST's)`)
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!
    if (v < 0 || v >= classes) {
      return inputError(`${path}: label ${i} is ${v}, out of range: the network has ${classes} outputs, so the labels are the classes 0..${classes - 1}; make the last layer's outSize at least ${v + 1}, or check the file`)
    }
  }
  return E.right(t)
}

/** That the images and labels are as many, or the failure naming both files. */
export const checkCounts = (imagesPath: string, images: IdxImages, labelsPath: string, labels: Tensor): E.Either<Failure, void> => {
  const n = images.x.shape[0]!
  const m = labels.shape[0]!
  return n === m ? E.right(undefined) : inputError(`${imagesPath} has ${plural(n, 'image')} but ${labelsPath} has ${plural(m, 'label')}; give the labels of the same set (train or test)`)
}

// The first thing a layer spec reads: the image shape of its first sized layer, 'rows' when that
// layer reads feature rows, undefined when it works at any size (an activation) or has no layer.
const firstInput = (spec: unknown): ImageShape | 'rows' | undefined => {
  if (typeof spec !== 'object' || spec === null) return undefined
  const s = spec as Readonly<Record<string, unknown>>
  if (s['kind'] === 'serial' && Array.isArray(s['layers'])) {
    for (const child of s['layers']) {
      const r = firstInput(child)
      if (r !== undefined) return r
    }
    return undefined
  }
  if (s['kind'] === 'residual') return firstInput(s['layer'])
  const image = (u: unknown): u is ImageShape => Array.isArray(u) && u.length === 3 && u.every((d) => typeof d === 'number')
  if (image(s['inShape'])) return s['inShape']
  if (image(s['shape'])) return s['shape']
  if (typeof s['inSize'] === 'number' || Array.isArray(s['shape']) || Array.isArray(s['layers'])) return 'rows'
  return undefined
}

/**
 * The network's input from the images: NHWC [n, h, w, c] for a network whose first sized layer
 * takes images, rows [n, h·w·c] otherwise; or the failure naming the files when the images are
 * not the size the network takes.
 */
export const networkInput = (
  images: IdxImages,
  net: { readonly spec: unknown; readonly inSize: number },
  modelPath: string,
  imagesPath: string,
): E.Either<Failure, Tensor> => {
  const [h, w, c] = images.shape
  const n = images.x.shape[0]!
  const shown = `${h}x${w}${c === 1 ? '' : `x${c}`}`
  const first = firstInput(net.spec)
  if (first !== undefined && first !== 'rows') {
    if (first[0] !== h || first[1] !== w || first[2] !== c) {
      return inputError(`${modelPath}: the network takes images [${first.join(', ')}] (height, width, channels), but ${imagesPath} holds ${shown} images, [${h}, ${w}, ${c}]; make the first layer's inShape [${h}, ${w}, ${c}]`)
    }
    return E.right(images.x)
  }
  if (Number.isFinite(net.inSize) && net.inSize !== h * w * c) {
    return inputError(`${modelPath}: the network takes ${net.inSize} inputs, but ${imagesPath} holds ${shown} images, ${h * w * c} pixels each; make the first layer's inSize ${h * w * c} (or start with conv2d([${h}, ${w}, ${c}], ...))`)
  }
  return E.right(fromData([n, h * w * c], images.x.data))
}

/**
 * The network's outputs for every example, computed `rows` examples at a time in evaluation mode
 * (a whole MNIST set through a convolution at once would need gigabytes), joined into [n, k].
 */
export const outputsInChunks = (apply: (x: Tensor) => Tensor, x: Tensor, rows = 1000): Tensor => {
  const n = x.shape[0]!
  if (n <= rows) return apply(x)
  const per = x.data.length / n
  const tail = x.shape.slice(1)
  const parts: Tensor[] = []
  for (let start = 0; start < n; start += rows) {
    const end = Math.min(n, start + rows)
    parts.push(apply(fromData([end - start, ...tail], x.data.slice(start * per, end * per))))
  }
  const k = parts[0]!.data.length / Math.min(n, rows)
  const out = alloc(parts[0]!.dtype, n * k)
  let at = 0
  for (const p of parts) {
    out.set(p.data, at)
    at += p.data.length
  }
  return fromData([n, ...parts[0]!.shape.slice(1)], out)
}
