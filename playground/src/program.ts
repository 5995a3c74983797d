// The program panel: the forward and backward program of one training step of the configured
// network (its loss on a batch, and the gradient), traced with purenet's staging and drawn as a
// graph (plot.gradProgram). Only shapes matter to a trace, so any weights and data of the right
// shapes serve: the panel draws the network the editor shows, not a particular state of it.
import { type Tensor, type Tree, losses, plot, random, zeros } from 'purenet/browser'
import { type Config, network } from './config.js'

// the batch of the drawing: small, so the graph names shapes a reader can follow
const batch = 4

/** The SVG of the forward and backward program of a configuration's training loss. */
export const programSvg = (c: Config): string => {
  const net = network(c)
  const apply = net.apply as (p: Tree) => (x: Tensor) => Tensor
  const params = net.init(random.key(0)) as Tree
  return plot.gradProgram(
    (p: Tree, x: Tensor, y: Tensor) => losses.sigmoidBinaryCrossEntropy(apply(p)(x), y),
    { title: 'one training step: forward and backward', argumentNames: ['params', 'x', 'y'] },
  )(params, zeros([batch, 2]), zeros([batch, 1]))
}
