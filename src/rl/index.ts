/**
 * Reinforcement learning on purenet: the pieces the course's DQN and PPO examples share.
 * - Environments as values (`Environment.ts`): pure `reset(key)` and `step(state, action)` over
 *   immutable states, with Gymnasium's dynamics, limits and truncation: `cartPole` (CartPole-v1),
 *   `acrobot` (Acrobot-v1), `mountainCar` (MountainCar-v0), `pendulum` (Pendulum-v1, continuous).
 * - A replay buffer (`ReplayBuffer.ts`): a ring of typed arrays owned by the latest buffer value,
 *   O(one transition) per push, sampled by key.
 * - Returns and advantages (`returns.ts`): discounted returns and GAE, truncation-aware.
 * - Policies (`policies.ts`): categorical and ε-greedy sampling by key, categorical and Gaussian
 *   log-densities (differentiable).
 * The Huber loss is `losses.huber`; an ε schedule is any `optim.schedules` schedule
 * (`optim.schedules.linear(1, 0.05, 10_000)`). Everything random comes from explicit keys.
 */
export type {
  ActionOf, BoxEnvironment, BoxSpace, DiscreteEnvironment, DiscreteSpace, Dynamics, Environment, EpisodeClock, Transition,
} from './Environment.js'
export { environment } from './Environment.js'
export { type CartPoleOptions, type CartPoleState, cartPole, cartPolePhysics } from './cartPole.js'
export { type AcrobotState, acrobot, acrobotPhysics } from './acrobot.js'
export { type MountainCarState, mountainCar, mountainCarPhysics } from './mountainCar.js'
export { type PendulumState, angleNormalize, pendulum, pendulumPhysics } from './pendulum.js'
export {
  type ReplayBatch, type ReplayBuffer, type ReplayBufferOptions, type StoredTransition, copyBuffer, push, replayBuffer, sample,
} from './ReplayBuffer.js'
export { type DiscountedReturnsOptions, type GaeInput, type GaeOptions, discountedReturns, gae } from './returns.js'
export {
  argmax, categoricalEntropy, categoricalLogProb, epsilonGreedy, gaussianLogProb, sampleCategorical, sampleGaussian,
} from './policies.js'
