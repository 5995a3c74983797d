/**
 * A replay buffer (Lin 1992; Mnih et al. 2015) as a value with an owned store. The buffer keeps
 * the last `capacity` transitions (s, a, r, s', terminated) in typed arrays, overwriting the
 * oldest first (a ring). `push` costs O(size of one transition): it writes one row of the store
 * and returns a new buffer value that owns the store; no array is copied.
 *
 * The owned-store design, stated once: a buffer value is frozen and is never changed, but its
 * store is shared with the value `push` returns, which takes ownership of it. The superseded value
 * can no longer be read or pushed to (it throws a `RangeError` that says so), so no reader can
 * observe a row changing under it. Use each buffer value once, in a fold:
 * `buffer = rl.push(buffer, transition)`. `copy` gives an independent buffer when two futures are
 * needed.
 *
 * Laws (checked in ReplayBuffer.test.ts):
 * 1. size = min(pushes, capacity); after n pushes the buffer holds exactly the last min(n, capacity).
 * 2. `sample(buffer, key, n)` is pure in (buffer, key): the same key gives the same rows; every
 *    row sampled is a transition that was pushed, intact (its s, a, r, s' and flag belong together).
 * 3. A superseded value throws on use.
 */
import { type Key, bits } from '../random/index.js'

/**
 * One transition to store. @category replay
 * @example
 * ```ts
 * const t: rl.StoredTransition = { observation: [0, 0], action: 1, reward: 1, nextObservation: [0, 1], terminated: false }
 * ```
 */
export interface StoredTransition {
  readonly observation: ArrayLike<number>
  /** The action: an integer for discrete spaces, a vector for continuous ones. */
  readonly action: number | ArrayLike<number>
  readonly reward: number
  readonly nextObservation: ArrayLike<number>
  /** Whether `nextObservation` is terminal (no bootstrap); a truncation is not terminal. */
  readonly terminated: boolean
}

interface Store {
  readonly observations: Float32Array
  readonly nextObservations: Float32Array
  readonly actions: Float32Array
  readonly rewards: Float32Array
  readonly terminated: Float32Array
  /** The `pushes` of the one buffer value that owns the store. */
  owner: number
}

/**
 * A ring buffer of transitions. @category replay
 * @example
 * ```ts
 * const buffer: rl.ReplayBuffer = rl.replayBuffer({ capacity: 1000, observationSize: 4 })
 * ```
 */
export interface ReplayBuffer {
  readonly capacity: number
  readonly observationSize: number
  readonly actionSize: number
  /** Transitions held: min(pushes, capacity). */
  readonly size: number
  /** Transitions pushed since the buffer was made. */
  readonly pushes: number
  /** @internal the owned store */
  readonly store: Store
}

/**
 * A sampled mini-batch, row-major. @category replay
 * @example
 * ```ts
 * let buffer = rl.replayBuffer({ capacity: 10, observationSize: 1 })
 * buffer = rl.push(buffer, { observation: [0], action: 0, reward: 1, nextObservation: [1], terminated: true })
 * const batch: rl.ReplayBatch = rl.sample(buffer, random.key(0), 4)
 * ```
 */
export interface ReplayBatch {
  readonly size: number
  /** `[size, observationSize]`. */
  readonly observations: Float32Array
  /** `[size, actionSize]` (discrete actions as numbers). */
  readonly actions: Float32Array
  readonly rewards: Float32Array
  readonly nextObservations: Float32Array
  /** 1 where the next observation is terminal, else 0. */
  readonly terminated: Float32Array
}

const positiveInt = (op: string, what: string, n: number): void => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${op}: ${what} must be a positive integer, got ${n}`)
}

/**
 * Options of `replayBuffer`. @category replay
 * @example
 * ```ts
 * const options: rl.ReplayBufferOptions = { capacity: 1000, observationSize: 3, actionSize: 1 }
 * rl.replayBuffer(options)
 * ```
 */
export interface ReplayBufferOptions {
  readonly capacity: number
  readonly observationSize: number
  /** Numbers per action (default 1: a discrete action, or a one-dimensional continuous one). */
  readonly actionSize?: number
}

const wrapStore = (capacity: number, observationSize: number, actionSize: number, size: number, pushes: number, store: Store): ReplayBuffer => {
  store.owner = pushes
  return Object.freeze({ capacity, observationSize, actionSize, size, pushes, store })
}

/**
 * An empty replay buffer of `capacity` transitions.
 * @example
 * ```ts
 * let buffer = rl.replayBuffer({ capacity: 50_000, observationSize: 4 })
 * ```
 * @category replay
 */
export const replayBuffer = (options: ReplayBufferOptions): ReplayBuffer => {
  const { capacity, observationSize } = options
  const actionSize = options.actionSize ?? 1
  positiveInt('rl.replayBuffer', 'capacity', capacity)
  positiveInt('rl.replayBuffer', 'observationSize', observationSize)
  positiveInt('rl.replayBuffer', 'actionSize', actionSize)
  const store: Store = {
    observations: new Float32Array(capacity * observationSize),
    nextObservations: new Float32Array(capacity * observationSize),
    actions: new Float32Array(capacity * actionSize),
    rewards: new Float32Array(capacity),
    terminated: new Float32Array(capacity),
    owner: 0,
  }
  return wrapStore(capacity, observationSize, actionSize, 0, 0, store)
}

const checkOwner = (op: string, buffer: ReplayBuffer): void => {
  if (buffer.store.owner !== buffer.pushes) {
    throw new RangeError(`${op}: this buffer value was superseded by a push (it holds ${buffer.pushes} pushes, its store ${buffer.store.owner}); use the value push returned, or rl.copyBuffer before pushing to keep both`)
  }
}

const checkRow = (op: string, what: string, row: ArrayLike<number>, n: number): void => {
  if (row.length !== n) throw new RangeError(`${op}: ${what} must have ${n} numbers, got ${row.length}`)
}

/**
 * The buffer with one more transition, overwriting the oldest when full; O(one transition).
 * The buffer passed in is superseded (see the module comment).
 * @example
 * ```ts
 * let buffer = rl.replayBuffer({ capacity: 100, observationSize: 2 })
 * buffer = rl.push(buffer, { observation: [0, 0], action: 1, reward: 1, nextObservation: [0, 1], terminated: false })
 * ```
 * @category replay
 */
export const push = (buffer: ReplayBuffer, transition: StoredTransition): ReplayBuffer => {
  const op = 'rl.push'
  checkOwner(op, buffer)
  const { capacity, observationSize: o, actionSize, store } = buffer
  checkRow(op, 'observation', transition.observation, o)
  checkRow(op, 'nextObservation', transition.nextObservation, o)
  const row = buffer.pushes % capacity
  store.observations.set(transition.observation, row * o)
  store.nextObservations.set(transition.nextObservation, row * o)
  if (typeof transition.action === 'number') {
    if (actionSize !== 1) throw new RangeError(`${op}: this buffer stores actions of ${actionSize} numbers; got one number`)
    store.actions[row] = transition.action
  } else {
    checkRow(op, 'action', transition.action, actionSize)
    store.actions.set(transition.action, row * actionSize)
  }
  store.rewards[row] = transition.reward
  store.terminated[row] = transition.terminated ? 1 : 0
  return wrapStore(capacity, o, actionSize, Math.min(buffer.size + 1, capacity), buffer.pushes + 1, store)
}

/**
 * An independent copy of a buffer (O(capacity)): both it and the original may be pushed to. @category replay
 * @example
 * ```ts
 * const buffer = rl.replayBuffer({ capacity: 100, observationSize: 4 })
 * const copy = rl.copyBuffer(buffer)
 * ```
 */
export const copyBuffer = (buffer: ReplayBuffer): ReplayBuffer => {
  checkOwner('rl.copyBuffer', buffer)
  const s = buffer.store
  const store: Store = {
    observations: s.observations.slice(), nextObservations: s.nextObservations.slice(), actions: s.actions.slice(),
    rewards: s.rewards.slice(), terminated: s.terminated.slice(), owner: 0,
  }
  return wrapStore(buffer.capacity, buffer.observationSize, buffer.actionSize, buffer.size, buffer.pushes, store)
}

/**
 * `n` transitions drawn uniformly with replacement from those held, by key (pure: the same
 * buffer and key give the same batch). The batch is a fresh copy: later pushes do not change it.
 * @example
 * ```ts
 * let buffer = rl.replayBuffer({ capacity: 100, observationSize: 2 })
 * buffer = rl.push(buffer, { observation: [0, 0], action: 1, reward: 1, nextObservation: [0, 1], terminated: false })
 * const batch = rl.sample(buffer, random.key(0), 32)
 * ```
 * @category replay
 */
export const sample = (buffer: ReplayBuffer, key: Key, n: number): ReplayBatch => {
  const op = 'rl.sample'
  checkOwner(op, buffer)
  positiveInt(op, 'the batch size', n)
  if (buffer.size === 0) throw new RangeError(`${op}: the buffer is empty; push transitions before sampling`)
  const { observationSize: o, actionSize: m, store, size } = buffer
  const words = bits(key, 2 * n)
  const observations = new Float32Array(n * o)
  const nextObservations = new Float32Array(n * o)
  const actions = new Float32Array(n * m)
  const rewards = new Float32Array(n)
  const terminated = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    // 53 random bits: the modulo bias is below 2^-20 for any buffer that fits in memory
    const row = ((words[2 * i]! >>> 5) * 2 ** 26 + (words[2 * i + 1]! >>> 6)) % size
    observations.set(store.observations.subarray(row * o, row * o + o), i * o)
    nextObservations.set(store.nextObservations.subarray(row * o, row * o + o), i * o)
    actions.set(store.actions.subarray(row * m, row * m + m), i * m)
    rewards[i] = store.rewards[row]!
    terminated[i] = store.terminated[row]!
  }
  return { size: n, observations, actions, rewards, nextObservations, terminated }
}
