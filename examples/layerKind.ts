import * as E from 'fp-ts/lib/Either.js'
import { type Tensor, io, nn, ops, ones, random, tensor, toArray } from 'purenet'

// A layer of your own: x ↦ x · s, one learned scale per feature.
type ScaleParams = { readonly s: Tensor }
const scale = (size: number): nn.Layer<ScaleParams> => ({
  name: `scale(${size})`, inSize: size, outSize: size,
  spec: { kind: 'scale', size },
  init: () => ({ s: ones([size]) }),
  apply: (p) => (x) => ops.mul(x, p.s),
})

// Its kind: how a spec names it, checks its fields, builds it and lays out its parameters.
const scaleKind: nn.LayerKindDefinition<{ readonly size: number }, { readonly kind: 'scale'; readonly size: number }> = nn.layerKind({
  kind: 'scale',
  fields: { size: nn.sizeField },
  build: (f, context) => nn.buildWith(context.path, () => scale(f.size)),
  layout: (spec) => ({ node: 'record', fields: [['s', { node: 'tensor', shape: [spec.size], dtype: 'float32' }]] }),
})
const registry = nn.registry.with(scaleKind) // a new registry value; nn.registry is unchanged

const net = nn.serial(nn.dense(2, 3), scale(3))
const params = net.init(random.key(0))
export const rebuilt = nn.fromSpec(JSON.parse(JSON.stringify(net.spec)), { registry })
export const loaded = io.decodeModel(io.encodeModel({ net, params }), { registry })
const x = tensor([[1, 2]])
export const outputs = [toArray(nn.predict(net, params, x)), E.isRight(loaded) ? toArray(nn.predict(loaded.right.net, loaded.right.params, x)) : []]
export const unknownKind = nn.fromSpec(net.spec) // Left: nn.fromSpec: layers[1].kind: unknown layer kind "scale"; use one of dense, relu, ...
