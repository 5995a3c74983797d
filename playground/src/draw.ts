// Drawing on canvases: heat maps of a field over the plane, the data points, the loss curves and
// the loss landscape with the optimizer's path. Pure functions of what they are given.

type Rgb = readonly [number, number, number]
const orange: Rgb = [245, 147, 34]
const blue: Rgb = [8, 119, 189]
const white: Rgb = [250, 250, 250]

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]

/** A value in [-1, 1] as a colour: orange below 0, white at 0, blue above. */
export const diverging = (v: number): Rgb => {
  const c = Math.max(-1, Math.min(1, v))
  return c < 0 ? mix(white, orange, -c) : mix(white, blue, c)
}

// One small canvas per grid size, reused by every heat map of that size.
const scratches = new Map<number, HTMLCanvasElement>()
const scratch = (res: number): HTMLCanvasElement => {
  let c = scratches.get(res)
  if (c === undefined) {
    c = document.createElement('canvas')
    c.width = res
    c.height = res
    scratches.set(res, c)
  }
  return c
}

/** Draws a res × res field (rows from the bottom of the plane up) stretched over the canvas. */
export const heatMap = (canvas: HTMLCanvasElement, field: ReadonlyArray<number>, res: number, colour: (v: number) => Rgb, alpha = 1): void => {
  const ctx = canvas.getContext('2d')!
  const image = ctx.createImageData(res, res)
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      const [r, g, b] = colour(field[i * res + j] ?? 0)
      const o = 4 * ((res - 1 - i) * res + j) // row 0 of the field is the bottom of the picture
      image.data[o] = r
      image.data[o + 1] = g
      image.data[o + 2] = b
      image.data[o + 3] = 255 * alpha
    }
  }
  const small = scratch(res)
  small.getContext('2d')!.putImageData(image, 0, 0)
  ctx.imageSmoothingEnabled = true
  ctx.clearRect(0, 0, canvas.width, canvas.height)
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height)
}

/** The data points over the plane: filled for training points, ringed for test points. */
export const points = (
  canvas: HTMLCanvasElement, xy: ReadonlyArray<number>, labels: ReadonlyArray<number>,
  extent: readonly [number, number, number, number], test: boolean, radius = 3.2,
): void => {
  const ctx = canvas.getContext('2d')!
  const [x0, x1, y0, y1] = extent
  labels.forEach((label, i) => {
    const px = ((xy[2 * i]! - x0) / (x1 - x0)) * canvas.width
    const py = (1 - (xy[2 * i + 1]! - y0) / (y1 - y0)) * canvas.height
    const [r, g, b] = label === 1 ? blue : orange
    ctx.beginPath()
    ctx.arc(px, py, radius, 0, 2 * Math.PI)
    ctx.fillStyle = test ? '#fff' : `rgb(${r},${g},${b})`
    ctx.strokeStyle = test ? `rgb(${r},${g},${b})` : '#fff'
    ctx.lineWidth = test ? 1.6 : 1
    ctx.fill()
    ctx.stroke()
  })
}

/** Axis labels at the corners of a plane: the extent's numbers. */
export const axes = (canvas: HTMLCanvasElement, extent: readonly [number, number, number, number]): void => {
  const ctx = canvas.getContext('2d')!
  ctx.fillStyle = 'rgba(40,40,40,0.65)'
  ctx.font = '10px system-ui, sans-serif'
  const f = (v: number): string => String(Math.round(v * 10) / 10)
  ctx.fillText(f(extent[0]), 3, canvas.height - 4)
  ctx.fillText(f(extent[1]), canvas.width - 16, canvas.height - 4)
  ctx.fillText(f(extent[3]), 3, 11)
}

/** Training and test loss against steps, on a shared scale from 0 to the largest loss seen. */
export const lossChart = (canvas: HTMLCanvasElement, steps: ReadonlyArray<number>, train: ReadonlyArray<number>, test: ReadonlyArray<number>): void => {
  const ctx = canvas.getContext('2d')!
  const { width, height } = canvas
  ctx.clearRect(0, 0, width, height)
  ctx.strokeStyle = '#eee'
  ctx.lineWidth = 1
  for (let k = 0; k <= 2; k++) {
    ctx.beginPath()
    ctx.moveTo(0, 4 + ((height - 8) * k) / 2)
    ctx.lineTo(width, 4 + ((height - 8) * k) / 2)
    ctx.stroke()
  }
  if (steps.length < 2) return
  const top = Math.max(...train.filter(Number.isFinite), ...test.filter(Number.isFinite), 1e-6)
  const last = steps[steps.length - 1]!
  const line = (values: ReadonlyArray<number>, colour: string): void => {
    ctx.beginPath()
    values.forEach((v, i) => {
      const x = (steps[i]! / Math.max(last, 1)) * width
      const y = height - 4 - (Math.min(v, top) / top) * (height - 8)
      if (i === 0) ctx.moveTo(x, y)
      else ctx.lineTo(x, y)
    })
    ctx.strokeStyle = colour
    ctx.lineWidth = 1.8
    ctx.stroke()
  }
  line(test, '#999')
  line(train, '#183d4e')
  ctx.fillStyle = '#888'
  ctx.font = '10px system-ui, sans-serif'
  ctx.textAlign = 'right'
  ctx.fillText(`max ${top.toPrecision(2)}`, width - 3, 12)
  ctx.fillText(`${last.toLocaleString('en')} steps`, width - 3, height - 8)
  ctx.textAlign = 'left'
}

// A perceptual ramp from dark blue (low loss) to yellow (high), as viridis runs.
const ramp: ReadonlyArray<Rgb> = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]]
const viridis = (t: number): Rgb => {
  const c = Math.max(0, Math.min(1, t)) * (ramp.length - 1)
  const i = Math.min(ramp.length - 2, Math.floor(c))
  return mix(ramp[i]!, ramp[i + 1]!, c - i)
}

/**
 * The loss on a plane (`losses[i][j]` at (alphas[i], betas[j])) as banded colours of log loss
 * (the bands read as contour lines), and the optimizer's path as a white line ending in a dot.
 */
export const landscape = (
  canvas: HTMLCanvasElement, alphas: ReadonlyArray<number>, betas: ReadonlyArray<number>,
  losses: ReadonlyArray<ReadonlyArray<number>>, path: ReadonlyArray<readonly [number, number]>,
): void => {
  const n = alphas.length
  const m = betas.length
  const logs = losses.flat().map((v) => Math.log(Math.max(v, 1e-6)))
  const lo = Math.min(...logs)
  const hi = Math.max(...logs)
  const ctx = canvas.getContext('2d')!
  const { width, height } = canvas
  const image = ctx.createImageData(width, height)
  const bands = 14
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      // bilinear interpolation of the grid, β up the picture and α across it
      const a = (px / (width - 1)) * (n - 1)
      const b = (1 - py / (height - 1)) * (m - 1)
      const i = Math.min(n - 2, Math.floor(a))
      const j = Math.min(m - 2, Math.floor(b))
      const fa = a - i
      const fb = b - j
      const at = (ii: number, jj: number): number => logs[ii * m + jj]!
      const v = (1 - fa) * ((1 - fb) * at(i, j) + fb * at(i, j + 1)) + fa * ((1 - fb) * at(i + 1, j) + fb * at(i + 1, j + 1))
      const t = hi > lo ? (v - lo) / (hi - lo) : 0
      const banded = Math.floor(t * bands) / bands
      const edge = Math.abs(t * bands - Math.round(t * bands)) < 0.06 ? 0.82 : 1
      const [r, g, bb] = viridis(banded)
      const o = 4 * (py * width + px)
      image.data[o] = r * edge
      image.data[o + 1] = g * edge
      image.data[o + 2] = bb * edge
      image.data[o + 3] = 255
    }
  }
  ctx.putImageData(image, 0, 0)
  const [a0, a1, b0, b1] = [alphas[0]!, alphas[n - 1]!, betas[0]!, betas[m - 1]!]
  const toPx = ([a, b]: readonly [number, number]): readonly [number, number] =>
    [((a - a0) / (a1 - a0)) * width, (1 - (b - b0) / (b1 - b0)) * height]
  if (path.length > 0) {
    ctx.save()
    ctx.beginPath()
    ctx.rect(0, 0, width, height)
    ctx.clip()
    ctx.beginPath()
    path.forEach((p, k) => {
      const [x, y] = toPx(p)
      if (k === 0) ctx.moveTo(x, y)
      else ctx.lineTo(x, y)
    })
    ctx.strokeStyle = '#fff'
    ctx.lineWidth = 2
    ctx.stroke()
    const [sx, sy] = toPx(path[0]!)
    ctx.fillStyle = '#fff'
    ctx.fillRect(sx - 3, sy - 3, 6, 6)
    const [ex, ey] = toPx(path[path.length - 1]!)
    ctx.beginPath()
    ctx.arc(ex, ey, 5, 0, 2 * Math.PI)
    ctx.fillStyle = '#e8384f'
    ctx.fill()
    ctx.strokeStyle = '#fff'
    ctx.stroke()
    ctx.restore()
  }
  ctx.fillStyle = 'rgba(255,255,255,0.9)'
  ctx.font = '10px system-ui, sans-serif'
  ctx.fillText(`α ∈ [${a0}, ${a1}]  β ∈ [${b0}, ${b1}]   loss ${Math.exp(lo).toPrecision(2)} – ${Math.exp(hi).toPrecision(2)}`, 4, height - 5)
}
