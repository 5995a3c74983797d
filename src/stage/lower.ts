/**
 * Lowering: a `Program` becomes an executable that runs it with its buffers planned once, in
 * one WebAssembly memory of its own (a private instance of the gemm kernel), so that a call
 * allocates nothing per operation and copies nothing between JavaScript and WebAssembly but the
 * caller's inputs (in) and the results (out).
 *
 * Contract:
 * 1. Every equation becomes one step, in program order, except element-wise equations whose
 *    output has a single reader that is element-wise too (of the same size): those are fused
 *    into their reader's loop (`lowerFused.ts`). `reshape`, `stopGradient` and a `broadcastTo`
 *    to the same shape are views: they share their operand's buffer.
 * 2. Dispatch is on the primitive value (maps keyed by the primitive records): matmuls call the
 *    WebAssembly gemm by address (float32; a one-row product calls its unpacked twin) or the portable kernel into the planned buffer
 *    (float64, mixed); sums and maxima over contiguous axes, softmax, logSoftmax and logSumExp run
 *    their kernels' loops into the planned buffer; any other primitive runs its own `impl` on
 *    views and is copied into its buffer (correct, but it allocates).
 * 3. Buffers are planned by liveness: a buffer is taken before its step and given back after its
 *    last reader; a later buffer of the same byte size reuses it. Inputs are buffers written at
 *    the start of a call and never reused by a step, so an input whose data is the very array
 *    copied in by the previous call is not copied again (tensors are immutable: the same array
 *    holds the same numbers); constants are written once, at compile time, and never reused.
 * 4. The results equal the eager ones bit for bit: the same kernels in the same order, and fused
 *    float32 loops round every primitive's result as the eager kernel's store does.
 * 5. Memory growth detaches views: every call checks the memory's buffer and rebuilds the views
 *    and loops when it moved (the executable itself only grows it at compile time).
 * 6. Results are fresh tensors, never views of the program's memory, carved from an arena of the
 *    executable's (`results.ts`): a tensor a caller holds never changes, whatever later calls do.
 */
import { primitives as P } from '../autodiff/primitives/table.js'
import type { AnyRules } from '../autodiff/PrimitiveRules.js'
import { logSoftmaxInto, logSumExpInto, matmulInto, maxInto, softmaxInto, sumInto } from '../kernels/index.js'
import { unaryWorthIt } from '../kernels/wasm/elementwise.js'
import { type GemmInstance, gemmInstance } from '../kernels/wasm/matmul.js'
import { type Data, type DType, type Shape, type Tensor, fromData, shapeEquals, sizeOf } from '../tensor/index.js'
import { type FusedNode, type LoopFactory, accessOf, elementRules, fusedLoop } from './lowerFused.js'
import { resultCopier } from './results.js'
import type { Atom, Equation, Program } from './Program.js'

/** A lowered program: `run` takes the input leaves and returns fresh result leaves. @category model */
export interface Executable {
  readonly run: (inputs: ReadonlyArray<Tensor>) => Tensor[]
  /** Bytes of memory the plan uses (buffers and the gemm's packing space). */
  readonly bytes: number
  /** Steps per call, after fusion. */
  readonly steps: number
  /** Equations fused into another's loop. */
  readonly fused: number
  /**
   * A profile: runs the program `reps` times and returns the time of each step (microseconds per
   * run, median over the runs), labelled by its primitives (`add+tanh` for a fused loop), and of
   * the copies in and out (`inputs`, `outputs`). For benchmarks and reports, not for timed tests.
   */
  readonly profile: (inputs: ReadonlyArray<Tensor>, reps: number) => ReadonlyArray<{ readonly label: string; readonly us: number }>
}

type View = Float32Array | Float64Array

// One buffer of the plan: a byte offset, a dtype and an element count.
interface Buffer {
  readonly dtype: DType
  readonly size: number
  offset: number
}

// What a step needs at build time (views of the current memory) to give its closure.
type StepMaker = (views: ReadonlyArray<View>) => () => void

const key = (a: Atom): string => (a.kind === 'var' ? `v${a.id}` : `c${a.id}`)
const shapeOf = (a: Atom): Shape => (a.kind === 'var' ? a.shape : a.value.shape)
const dtypeOfAtom = (a: Atom): DType => (a.kind === 'var' ? a.dtype : a.value.dtype)

const ALIASES: ReadonlySet<unknown> = new Set<unknown>([P.reshape, P.stopGradient])
const isAlias = (eq: Equation): boolean =>
  ALIASES.has(eq.prim) || (eq.prim === P.broadcastTo && shapeEquals(shapeOf(eq.inputs[0]!), eq.out.shape))

// The float32 maps run by the program's own WebAssembly instance, at any size for exp, tanh and
// sigmoid (their JavaScript loops are the same arithmetic, so the eager kernel has these bits at
// every size, and here no copies are paid), relu where the eager kernel sends it to WebAssembly
// (`unaryWorthIt`; below that it fuses into its neighbours' loops).
const MAPPED: ReadonlyMap<unknown, 'exp' | 'tanh' | 'sigmoid' | 'relu'> = new Map<unknown, 'exp' | 'tanh' | 'sigmoid' | 'relu'>([
  [P.exp, 'exp'], [P.tanh, 'tanh'], [P.sigmoid, 'sigmoid'], [P.relu, 'relu'],
])

// The fused activation backward rules, run by `jit.as` on float32 (any size: its arithmetic is
// the scalar loop's, in float64 rounded once).
const BACKWARD: ReadonlyMap<unknown, 'tanhBackward' | 'sigmoidBackward' | 'reluBackward'> = new Map<unknown, 'tanhBackward' | 'sigmoidBackward' | 'reluBackward'>([
  [P.tanhBackward, 'tanhBackward'], [P.sigmoidBackward, 'sigmoidBackward'], [P.reluBackward, 'reluBackward'],
])

// The step of an equation that a WebAssembly map of the program's instance runs, from the byte
// addresses of its operands and output, or undefined.
const wasmMap = (eq: Equation, inst: GemmInstance | undefined): ((ins: ReadonlyArray<number>, o: number) => () => void) | undefined => {
  if (inst?.maps === undefined || inst.compiled === undefined || eq.out.dtype !== 'float32' || eq.inputs.some((a) => dtypeOfAtom(a) !== 'float32')) return undefined
  const n = sizeOf(eq.out.shape)
  const op = MAPPED.get(eq.prim)
  if (op !== undefined) {
    if (op === 'relu' && !unaryWorthIt(op, n)) return undefined
    const f = inst.maps[op]
    return ([a], o) => () => f(a!, o, n)
  }
  const back = BACKWARD.get(eq.prim)
  if (back === undefined || !eq.inputs.every((a) => sizeOf(shapeOf(a)) === n)) return undefined
  const g = inst.compiled[back]
  return ([d, y], o) => () => g(d!, y!, o, n)
}

const BINARY: ReadonlyMap<unknown, 'add' | 'sub' | 'mul' | 'div'> = new Map<unknown, 'add' | 'sub' | 'mul' | 'div'>([
  [P.add, 'add'], [P.sub, 'sub'], [P.mul, 'mul'], [P.div, 'div'],
])

// A float32 add, sub, mul or div alone in its loop (both operands whole, or one a repeated row),
// at any size: the same f32x4 arithmetic as the eager kernel's WebAssembly map (which rounds as
// the scalar float32 loops do), by address, with no copies. Gives the step's closure from the
// three addresses.
const wasmBinary = (eq: Equation, maps: GemmInstance['binaryMaps']): ((a: number, b: number, o: number) => () => void) | undefined => {
  const op = BINARY.get(eq.prim)
  if (op === undefined || maps === undefined || eq.out.dtype !== 'float32') return undefined
  const [x, y] = eq.inputs as [Atom, Atom]
  if (dtypeOfAtom(x) !== 'float32' || dtypeOfAtom(y) !== 'float32') return undefined
  const n = sizeOf(eq.out.shape)
  const ax = accessOf(shapeOf(x), eq.out.shape), ay = accessOf(shapeOf(y), eq.out.shape)
  const f = maps[op]
  if (ax?.kind === 'full' && ay?.kind === 'full') return (a, b, o) => () => f.map(a, b, o, n)
  if (ax?.kind === 'full' && ay?.kind === 'row' && ay.period > 1) { const m = ay.period; return (a, b, o) => () => f.rows(a, b, o, n / m, m, m, 0) }
  if (ax?.kind === 'row' && ax.period > 1 && ay?.kind === 'full') { const m = ax.period; return (a, b, o) => () => f.rows(a, b, o, n / m, m, 0, m) }
  return undefined
}

const bytesOf = (b: Buffer): number => b.size * (b.dtype === 'float64' ? 8 : 4)
const align = (x: number): number => (x + 63) & ~63

const viewOf = (memory: ArrayBuffer, b: Buffer): View =>
  b.dtype === 'float64' ? new Float64Array(memory, b.offset, b.size) : new Float32Array(memory, b.offset, b.size)

// The memory a program runs in: the gemm instance's, or a plain buffer where WebAssembly SIMD is missing.
interface Memory {
  readonly buffer: () => ArrayBuffer
  readonly ensure: (bytes: number) => void
}

const memoryOf = (inst: GemmInstance | undefined): Memory => {
  if (inst !== undefined) {
    return {
      buffer: () => inst.memory.buffer,
      ensure: (bytes) => {
        const have = inst.memory.buffer.byteLength
        if (bytes > have) inst.memory.grow(Math.ceil((bytes - have) / 65536))
      },
    }
  }
  let buf = new ArrayBuffer(0)
  return { buffer: () => buf, ensure: (bytes) => { if (bytes > buf.byteLength) buf = new ArrayBuffer(bytes) } }
}

/**
 * Lowers a program to an executable (see the file's contract). Throws nothing for a valid
 * program; a primitive without a lowering of its own runs through its `impl`.
 * @category internals
 */
export const lower = (program: Program): Executable => {
  const eqs = program.equations
  const inst = gemmInstance()
  const loops = new Map<string, LoopFactory>()

  // Readers of each variable (equation indices), and which variables are results.
  const readers = new Map<string, number[]>()
  eqs.forEach((eq, i) => eq.inputs.forEach((a) => {
    const list = readers.get(key(a)) ?? []
    if (!list.includes(i)) list.push(i)
    readers.set(key(a), list)
  }))
  const results = new Set(program.outputs.map(key))

  // Fusion: an element-wise equation whose one reader is element-wise and of the same size;
  // element-wise means a rule and operands that one of the loop's access patterns reads.
  const mapped = eqs.map((eq) => wasmMap(eq, inst))
  const loopable = eqs.map((eq, i) => elementRules.has(eq.prim) && !isAlias(eq) && mapped[i] === undefined &&
    eq.inputs.every((a) => (a.kind === 'const' && a.value.size === 1) || accessOf(shapeOf(a), eq.out.shape) !== undefined))
  const fusedInto = new Map<number, number>()
  const defOf = new Map<string, number>()
  eqs.forEach((eq, i) => defOf.set(key(eq.out), i))
  eqs.forEach((eq, i) => {
    if (!loopable[i] || results.has(key(eq.out))) return
    const rs = readers.get(key(eq.out)) ?? []
    if (rs.length !== 1) return
    const r = eqs[rs[0]!]!
    if (loopable[rs[0]!] && sizeOf(r.out.shape) === sizeOf(eq.out.shape)) fusedInto.set(i, rs[0]!)
  })
  // Where the gemm's packing buffers go: placed below, read when the steps are built.
  const space = { ap: 0, bp: 0 }

  // Buffers: inputs, constants, then one per step output; aliases share their operand's.
  const buffers: Buffer[] = []
  const bufferOf = new Map<string, number>()
  const newBuffer = (dtype: DType, size: number): number => buffers.push({ dtype, size, offset: -1 }) - 1
  for (const v of program.inputs) if (!bufferOf.has(key(v))) bufferOf.set(key(v), newBuffer(v.dtype, sizeOf(v.shape)))
  const constantBuffers: Array<readonly [number, Tensor]> = []
  for (const c of program.constants) {
    const b = newBuffer(c.value.dtype, c.value.size)
    bufferOf.set(key(c), b)
    constantBuffers.push([b, c.value])
  }
  const bufferOfAtom = (a: Atom): number => {
    const b = bufferOf.get(key(a))
    if (b === undefined) {
      if (a.kind === 'const') {
        const nb = newBuffer(a.value.dtype, a.value.size)
        bufferOf.set(key(a), nb)
        constantBuffers.push([nb, a.value])
        return nb
      }
      throw new Error(`jit: variable ${a.id} is read before it is defined; the program's equations are not in evaluation order`)
    }
    return b
  }

  interface Step {
    readonly label: string
    readonly out: number
    readonly reads: ReadonlyArray<number>
    readonly make: StepMaker
  }
  const steps: Step[] = []
  eqs.forEach((eq, i) => {
    if (fusedInto.has(i)) return
    if (isAlias(eq)) {
      bufferOf.set(key(eq.out), bufferOfAtom(eq.inputs[0]!))
      return
    }
    const out = newBuffer(eq.out.dtype, sizeOf(eq.out.shape))
    bufferOf.set(key(eq.out), out)
    const map = mapped[i]
    if (map !== undefined) {
      const xs = eq.inputs.map(bufferOfAtom)
      steps.push({ label: `${eq.prim.name} (wasm)`, out, reads: xs, make: (views) => map(xs.map((b) => views[b]!.byteOffset), views[out]!.byteOffset) })
      return
    }
    const binaryMap = loopable[i] && !hasFused(i) ? wasmBinary(eq, inst?.binaryMaps) : undefined
    if (binaryMap !== undefined) {
      const [a, b] = [bufferOfAtom(eq.inputs[0]!), bufferOfAtom(eq.inputs[1]!)]
      steps.push({ label: `${eq.prim.name} (wasm)`, out, reads: [a, b], make: (views) => binaryMap(views[a]!.byteOffset, views[b]!.byteOffset, views[out]!.byteOffset) })
      return
    }
    if (loopable[i]) {
      const group = fusedGroup(i)
      steps.push({ label: group.label, out, reads: group.operands, make: group.make(out) })
      return
    }
    const ins = eq.inputs.map(bufferOfAtom)
    steps.push({ label: kernels.has(eq.prim) ? eq.prim.name : `${eq.prim.name} (impl)`, out, reads: ins, make: lowered(eq, ins, out) })
  })

  // Whether another equation is fused into the loop of equation `root`.
  function hasFused(root: number): boolean {
    for (const r of fusedInto.values()) if (r === root) return true
    return false
  }

  // The element-wise equations fused into the loop of equation `root`, and its operands.
  function fusedGroup(root: number): { readonly label: string; readonly operands: number[]; readonly make: (out: number) => StepMaker } {
    const members: number[] = []
    const collect = (i: number): void => {
      members.push(i)
      for (const a of eqs[i]!.inputs) {
        const d = a.kind === 'var' ? defOf.get(key(a)) : undefined
        if (d !== undefined && fusedInto.get(d) === i) collect(d)
      }
    }
    collect(root)
    members.sort((a, b) => a - b)
    const operands: number[] = []
    const slot = (b: number): number => {
      const j = operands.indexOf(b)
      return j >= 0 ? j : operands.push(b) - 1
    }
    const position = new Map(members.map((m, k) => [m, k]))
    const nodes: FusedNode[] = []
    for (const m of members) {
      const eq = eqs[m]!
      const args: FusedNode['args'][number][] = []
      for (const a of eq.inputs) {
        const d = a.kind === 'var' ? defOf.get(key(a)) : undefined
        if (d !== undefined && position.has(d)) { args.push({ node: position.get(d)! }); continue }
        // a scalar constant is baked into the loop as a literal
        if (a.kind === 'const' && a.value.size === 1) { args.push({ literal: a.value.data[0]! }); continue }
        // defined: the equation is loopable
        const access = accessOf(shapeOf(a), eq.out.shape)!
        args.push({ operand: slot(bufferOfAtom(a)), access })
      }
      nodes.push({ rule: elementRules.get(eq.prim)!, ctx: { params: eq.params, dtype: eq.out.dtype, size: sizeOf(eq.out.shape) }, args })
    }
    const rootEq = eqs[root]!
    const factory = fusedLoop({ nodes, operands: operands.map((b) => buffers[b]!.dtype), out: rootEq.out.dtype, size: sizeOf(rootEq.out.shape) }, loops)
    return { label: members.map((m) => eqs[m]!.prim.name).join('+'), operands, make: (out) => (views) => factory(views[out]!, operands.map((b) => views[b]!)) }
  }

  // The step of one equation that is not fused: by its primitive value, else through its impl.
  function lowered(eq: Equation, ins: ReadonlyArray<number>, out: number): StepMaker {
    const special = kernels.get(eq.prim)?.(eq, ins, out, { inst, space })
    if (special !== undefined) return special
    const shapes = eq.inputs.map(shapeOf)
    return (views) => {
      const args = ins.map((b, k) => fromData(shapes[k]!, views[b]!))
      const o = views[out]!
      return () => { o.set(eq.prim.impl(args, eq.params).data) }
    }
  }

  // Liveness: the last step that reads each buffer; results live to the end.
  const last = new Array<number>(buffers.length).fill(-1)
  steps.forEach((s, i) => { for (const b of s.reads) last[b] = i })
  const pinned = new Set<number>(constantBuffers.map(([b]) => b))
  for (const a of program.outputs) last[bufferOfAtom(a)] = Infinity

  // Placement: the gemm's packing space, constants, inputs, then steps in order with reuse.
  let top = inst === undefined ? 0 : inst.base
  let packA = 0, packB = 0
  if (inst !== undefined) {
    for (const eq of eqs) {
      if (eq.prim !== P.matmul) continue
      const { m, k, n } = dims(eq)
      if (m > 0 && k > 0 && n > 0) { packA = Math.max(packA, inst.packedABytes(m, k)); packB = Math.max(packB, inst.packedBBytes(k, n)) }
    }
  }
  space.ap = top
  top = align(top + packA)
  space.bp = top
  top = align(top + packB)
  const free = new Map<number, number[]>()
  const take = (b: number): void => {
    const buf = buffers[b]!
    if (buf.offset >= 0) return
    const bytes = align(Math.max(bytesOf(buf), 1))
    const reuse = free.get(bytes)?.pop()
    if (reuse !== undefined) { buf.offset = reuse; return }
    buf.offset = top
    top += bytes
  }
  const give = (b: number): void => {
    if (pinned.has(b)) return
    const bytes = align(Math.max(bytesOf(buffers[b]!), 1))
    const list = free.get(bytes) ?? []
    list.push(buffers[b]!.offset)
    free.set(bytes, list)
  }
  for (const [b] of constantBuffers) take(b)
  const inputBuffers = program.inputs.map((v) => bufferOf.get(key(v))!)
  for (const b of inputBuffers) take(b)
  // inputs keep their buffers across calls (see `copyIn`)
  for (const b of inputBuffers) pinned.add(b)
  steps.forEach((s, i) => {
    take(s.out)
    for (const b of new Set([...s.reads, s.out])) if (last[b] === i) give(b)
    if (last[s.out] === -1) give(s.out)
  })
  const bytes = top
  const memory = memoryOf(inst)
  memory.ensure(bytes)
  for (const [b, t] of constantBuffers) viewOf(memory.buffer(), buffers[b]!).set(t.data)

  let seen: ArrayBuffer | undefined
  let views: View[] = []
  let runs: Array<() => void> = []
  const build = (): void => {
    const m = memory.buffer()
    views = buffers.map((b) => (b.offset < 0 ? new Float32Array(0) : viewOf(m, b)))
    runs = steps.map((s) => s.make(views))
    seen = m
  }
  // The results: copied out of the memory into fresh tensors carved from an arena (results.ts).
  const copier = resultCopier(program.outputs.map((a) => {
    const buffer = bufferOfAtom(a)
    const b = buffers[buffer]!
    return { buffer, shape: shapeOf(a), size: b.size, f64: b.dtype === 'float64' }
  }))
  const copyOut = (): Tensor[] => copier(views)
  // Resident inputs: the data array last copied into each input's buffer. Input buffers are never
  // reused by a step (`pinned`) and only the copy-in writes them, and a tensor's data is never
  // written once handed out (the design's invariant), so an input whose data is the very array
  // copied last time is in place already (a network's parameters, called with new observations).
  const resident: Array<Tensor['data'] | undefined> = inputBuffers.map(() => undefined)
  const copyIn = (inputs: ReadonlyArray<Tensor>): void => {
    for (let i = 0; i < inputBuffers.length; i++) {
      const d = inputs[i]!.data
      if (d === resident[i]) continue
      views[inputBuffers[i]!]!.set(d)
      resident[i] = d
    }
  }
  const run = (inputs: ReadonlyArray<Tensor>): Tensor[] => {
    if (seen !== memory.buffer()) build()
    copyIn(inputs)
    for (let i = 0; i < runs.length; i++) runs[i]!()
    return copyOut()
  }
  const profile = (inputs: ReadonlyArray<Tensor>, reps: number): Array<{ label: string; us: number }> => {
    run(inputs)
    const times = [[], [], ...steps.map(() => [])] as number[][]
    for (let r = 0; r < reps; r++) {
      let t = performance.now()
      resident.fill(undefined)
      copyIn(inputs)
      times[0]!.push(performance.now() - t)
      for (let i = 0; i < runs.length; i++) {
        t = performance.now()
        runs[i]!()
        times[i + 2]!.push(performance.now() - t)
      }
      t = performance.now()
      copyOut()
      times[1]!.push(performance.now() - t)
    }
    const med = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]! * 1000
    return [{ label: 'inputs', us: med(times[0]!) }, { label: 'outputs', us: med(times[1]!) }, ...steps.map((s, i) => ({ label: s.label, us: med(times[i + 2]!) }))]
  }
  return Object.freeze({ run, bytes, steps: steps.length, fused: fusedInto.size, profile })
}


const dims = (eq: Equation): { readonly m: number; readonly k: number; readonly n: number } => {
  const { ta, tb } = eq.params as { readonly ta: boolean; readonly tb: boolean }
  const [a0, a1] = shapeOf(eq.inputs[0]!) as [number, number]
  const [b0, b1] = shapeOf(eq.inputs[1]!) as [number, number]
  return { m: ta ? a1 : a0, k: ta ? a0 : a1, n: tb ? b0 : b1 }
}

// What a kernel's step may use besides its buffers: the gemm instance and its packing space.
interface KernelContext {
  readonly inst: GemmInstance | undefined
  readonly space: { readonly ap: number; readonly bp: number }
}

type Kernel = (eq: Equation, ins: ReadonlyArray<number>, out: number, ctx: KernelContext) => StepMaker | undefined

const rowsOf = (shape: Shape): readonly [number, number] =>
  [sizeOf(shape.slice(0, -1)), shape.length === 0 ? 1 : shape[shape.length - 1]!]

const rowwise = (into: (a: Data, o: Data, m: number, n: number) => void): Kernel => (eq, [x], out) => {
  const [m, n] = rowsOf(shapeOf(eq.inputs[0]!))
  return (views) => {
    const a = views[x!]!, o = views[out]!
    return () => into(a, o, m, n)
  }
}

// The [outer, mid, inner] block of a reduction over contiguous axes, or undefined.
const block = (shape: Shape, axes: ReadonlyArray<number>): readonly [number, number, number] | undefined => {
  if (axes.length === 0) return undefined
  const first = axes[0]!, lastAxis = axes[axes.length - 1]!
  if (lastAxis - first + 1 !== axes.length) return undefined
  let outer = 1, mid = 1, inner = 1
  shape.forEach((d, i) => { if (i < first) outer *= d; else if (i <= lastAxis) mid *= d; else inner *= d })
  return [outer, mid, inner]
}

const reduction = (into: (a: Data, o: Data, outer: number, mid: number, inner: number) => void, zero: boolean): Kernel => (eq, [x], out, { inst }) => {
  const b = block(shapeOf(eq.inputs[0]!), (eq.params as { readonly axes: ReadonlyArray<number> }).axes)
  if (b === undefined) return undefined
  const [outer, mid, inner] = b
  // a float32 sum over the leading axes (a bias gradient): the same additions in WebAssembly
  const rows = inst?.compiled?.sumRows
  if (zero && rows !== undefined && outer === 1 && inner > 1 && eq.out.dtype === 'float32' && dtypeOfAtom(eq.inputs[0]!) === 'float32') {
    return (views) => {
      const pa = views[x!]!.byteOffset, po = views[out]!.byteOffset
      return () => rows(pa, po, mid, inner)
    }
  }
  return (views) => {
    const a = views[x!]!, o = views[out]!
    return zero ? () => { o.fill(0); into(a, o, outer, mid, inner) } : () => into(a, o, outer, mid, inner)
  }
}

const matmulKernel: Kernel = (eq, [a, b], out, { inst, space }) => {
  const { ta, tb } = eq.params as { readonly ta: boolean; readonly tb: boolean }
  const { m, k, n } = dims(eq)
  const f32 = dtypeOfAtom(eq.inputs[0]!) === 'float32' && dtypeOfAtom(eq.inputs[1]!) === 'float32'
  return (views) => {
    const va = views[a!]!, vb = views[b!]!, vo = views[out]!
    if (f32 && inst !== undefined && m > 0 && k > 0 && n > 0) {
      // byte addresses of the operands in the instance's memory, and its packing space
      const pa = va.byteOffset, pb = vb.byteOffset, pc = vo.byteOffset
      // one row (batch-1 inference): the same sums without packing (jit.as's rowTimesMatrix)
      const row = inst.compiled?.rowTimesMatrix
      if (m === 1 && !tb && row !== undefined) return () => row(pa, pb, pc, k, n)
      const g = inst.gemm
      const ap = space.ap, bp = space.bp
      return () => g(pa, pb, pc, m, k, n, ta ? 1 : 0, tb ? 1 : 0, ap, bp)
    }
    return () => { vo.fill(0); matmulInto(va, vb, vo, m, k, n, ta, tb) }
  }
}

const kernels: ReadonlyMap<unknown, Kernel> = new Map<unknown, Kernel>([
  [P.matmul, matmulKernel],
  [P.sum, reduction(sumInto, true)],
  [P.max, reduction(maxInto, false)],
  [P.softmax, rowwise(softmaxInto)],
  [P.logSoftmax, rowwise(logSoftmaxInto)],
  [P.logSumExp, rowwise(logSumExpInto)],
])

/** Whether a primitive has a lowering of its own (fused or by kernel) rather than its impl. @category internals */
export const hasLowering = (prim: AnyRules): boolean => elementRules.has(prim) || kernels.has(prim) || ALIASES.has(prim) || prim === P.broadcastTo
