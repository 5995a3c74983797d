// A user's browser code against purenet/browser: checked without Node's types.
import { grad, nn, ops, random, tensor } from 'purenet/browser'

const net = nn.serial(nn.dense(3, 4), nn.sigmoid, nn.dense(4, 2))
const params = net.init(random.key(0))
const out = net.apply(params)(tensor([[1, 2, 3]]))
const g = grad((t: typeof out) => ops.sum(ops.square(t)))(out)
document.title = `purenet ${g.shape.join('x')}`
