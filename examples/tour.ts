import { losses, nn, random, tensor, tree, valueAndGrad } from 'purenet'

// A network is a value: serial(h, g, f) applies f(W3, g(W2, h(W1, x))).
const net = nn.serial(nn.dense(2, 8), nn.sigmoid, nn.dense(8, 1))
const params = net.init(random.key(0)) // a frozen tree: [{ w, b }, {}, { w, b }]

// A batch of four examples and the loss, the mean over the batch.
const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
const y = tensor([[0], [1], [1], [0]])
const loss = (p: typeof params) => losses.mse(net.apply(p)(x), y)

// The gradient by reverse mode, in the same structure as the parameters.
const [value, gradient] = valueAndGrad(loss)(params)

// One step of gradient descent: w <- w - lr * dJ/dw.
const next = tree.addScaled(params, gradient, -0.1)

console.log(`loss ${value.data[0]} -> ${loss(next).data[0]}`)
