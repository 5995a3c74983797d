/**
 * The helper types that public signatures mention but the package does not export, each with the
 * reason it stays internal. api-extractor's `ae-forgotten-export` check is on: a type reached
 * from a public signature must be exported (with a description and an example, like every
 * export) or be listed here with its reason; a listed type that is no longer reported fails the
 * build too, so the list cannot rot. The pages show these names as written in the signatures.
 *
 * The names are api-extractor's: a second declaration of the same name gets a suffix (`Fits_2` is
 * nn/parallel.ts's own `Fits`).
 */

const sizeArithmetic = "a step of the type-level size arithmetic of nn's combinators: users name the results (nn.Serial, nn.FanOut, nn.Parallel, nn.SerialChain, nn.FanOutChain, nn.SumSizes, nn.AddSizes), never the steps, which change whenever the arithmetic does"
const primitiveRecord = 'the record type of a primitive (its call signature plus the rules and params the interpreters read): users call a primitive as the function its first type argument shows, and the interpreter side belongs to autodiff and changes with it'
const primitiveParams = "the parameters a bound primitive carries in a staged Program's equations, as the interpreters read them; the options users pass are exported (ops.WindowOptions, ops.BatchedMatmulOptions, ops.Conv2dOptions, ...)"

export const internalTypes: Readonly<Record<string, string>> = {
  Fits: sizeArithmetic,
  Fits_2: sizeArithmetic,
  FirstIn: sizeArithmetic,
  LastOut: sizeArithmetic,
  AllPreserving: sizeArithmetic,
  SharedIn: sizeArithmetic,
  InSizes: sizeArithmetic,
  OutSizes: sizeArithmetic,
  IsNatural: sizeArithmetic,
  Reverse: sizeArithmetic,
  AddReversed: sizeArithmetic,
  LayersFields: "the decoded fields ({ layers }) of a combinator kind's spec, inside nn.fanOutKind's and nn.parallelKind's types; a user defining a kind writes its own fields type",
  Primitive: primitiveRecord,
  UnaryPrimitive: primitiveRecord,
  BinaryPrimitive: primitiveRecord,
  AnyRules: "the rules of an equation's primitive with its parameter type forgotten (Equation.prim): a user reads prim.name; the rules are the interpreters'",
  BatchedMatmulParams: primitiveParams,
  Conv2dParams: primitiveParams,
  MatmulParams: primitiveParams,
  ReduceParams: primitiveParams,
  SliceParams: primitiveParams,
  PadParams: primitiveParams,
  PatchGeometry: primitiveParams,
  PoolChannel: "the worker pool's machinery that dataParallel drives (Pool.channel, marked internal); users create, pass and close a Pool",
  Store: 'the storage of rl.ReplayBuffer (its store field, marked @internal); users go through rl.push and rl.sample',
  Out: "autodiff's alias of Tree for the outputs of jvp and vjp (O extends Out): read it as Tree; a top-level export named Out would clash with users' own type parameters and aliases",
  Node: "a tree's structure without its leaves (TreeDef.root, marked @internal); users hold a TreeDef from tree.flatten and pass it back",
}

/** The symbol an `ae-forgotten-export` message names (`The symbol "Fits" needs to be exported ...`). */
export const forgottenSymbol = (text: string): string | undefined => /The symbol "([^"]+)"/.exec(text)?.[1]
