/**
 * A small builder for ONNX graphs on top of onnx-proto, so that our models are written as readable
 * TypeScript instead of hand-made protobuf. Every value is named by the builder; callers pass names around.
 *
 * @example
 * const g = new GraphBuilder('double')
 * const x = g.input('x', 'float', [1, 'n'])
 * g.output(g.op('Mul', [x, g.constant([2])]), 'y', 'float', [1, 'n'])
 * const bytes = encodeModel(g, { producer: 'anymask' })
 */
import onnxProto, { type onnx } from 'onnx-proto'

// onnx-proto is CommonJS: the runtime namespace comes from its default export, the types from its declarations.
const proto = onnxProto.onnx

export type ElemType = 'float' | 'int64' | 'bool'
export type Dim = number | string

const ELEM: Record<ElemType, number> = {
  float: proto.TensorProto.DataType.FLOAT,
  int64: proto.TensorProto.DataType.INT64,
  bool: proto.TensorProto.DataType.BOOL,
}

/** Marks a number attribute as a float (plain numbers are ints). */
export class FloatAttr {
  constructor(readonly value: number) {}
}
export const float = (value: number) => new FloatAttr(value)

type AttrValue = number | number[] | FloatAttr | string | GraphBuilder

function valueInfo(name: string, elem: ElemType, dims?: Dim[]): onnx.IValueInfoProto {
  const tensorType: onnx.TypeProto.ITensor = { elemType: ELEM[elem] }
  if (dims) {
    tensorType.shape = {
      dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
    }
  }
  return { name, type: { tensorType } }
}

function attribute(name: string, value: AttrValue): onnx.IAttributeProto {
  const T = proto.AttributeProto.AttributeType
  if (value instanceof FloatAttr) return { name, type: T.FLOAT, f: value.value }
  if (value instanceof GraphBuilder) return { name, type: T.GRAPH, g: value.toProto() }
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) }
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value }
  return { name, type: T.INT, i: value }
}

export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = []
  private readonly initializers: onnx.ITensorProto[] = []
  private readonly inputs: onnx.IValueInfoProto[] = []
  private readonly outputs: onnx.IValueInfoProto[] = []
  private counter = 0

  constructor(
    readonly name: string,
    private readonly prefix = '',
  ) {}

  /** A fresh value name, unique within this graph (and its subgraphs, through the prefix). */
  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.counter++}`
  }

  input(name: string, elem: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elem, dims))
    return name
  }

  /** Declares `value` as a graph output named `name` (adds an Identity when the names differ). */
  output(value: string, name: string, elem: ElemType, dims?: Dim[]): void {
    if (value !== name) this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `${name}_out` })
    this.outputs.push(valueInfo(name, elem, dims))
  }

  /** A constant tensor stored as an initializer. */
  constant(values: ArrayLike<number>, dims: number[] = [values.length], elem: ElemType = 'float'): string {
    const name = this.fresh('const')
    this.initializers.push(this.tensor(name, values, dims, elem))
    return name
  }

  /** Shorthand for an int64 constant (shapes, axes, indices). */
  ints(values: number[], dims: number[] = [values.length]): string {
    return this.constant(values, dims, 'int64')
  }

  /** Adds one node and returns its single output. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.opN(opType, inputs, 1, attrs)[0]
  }

  /** Adds one node with `outputCount` outputs. */
  opN(opType: string, inputs: string[], outputCount: number, attrs: Record<string, AttrValue> = {}): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()))
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    })
    return outputs
  }

  private tensor(name: string, values: ArrayLike<number>, dims: number[], elem: ElemType): onnx.ITensorProto {
    const t: onnx.ITensorProto = { name, dims, dataType: ELEM[elem] }
    if (elem === 'float') t.floatData = Array.from(values)
    else if (elem === 'bool') t.int32Data = Array.from(values)
    else t.int64Data = Array.from(values)
    return t
  }

  toProto(): onnx.IGraphProto {
    return {
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    }
  }
}

export interface ModelInfo {
  producer: string
  docString: string
  metadata?: Record<string, string>
}

/** Serialises a graph as an ONNX model (IR 8, default opset 17). */
export function encodeModel(graph: GraphBuilder, info: ModelInfo, opset = 17): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: info.producer,
    producerVersion: '1',
    docString: info.docString,
    opsetImport: [{ domain: '', version: opset }],
    metadataProps: Object.entries(info.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: graph.toProto(),
  }
  return proto.ModelProto.encode(proto.ModelProto.fromObject(model)).finish()
}

/**
 * Serialises a graph with its float initializers of 1 KiB and more in a separate external-data file (ONNX's
 * `location` / `offset` / `length` entries), as exporters save large models (onnx's default size threshold): smaller
 * constants stay in the graph, where shape inference can read them. `location` is the data file's name beside the graph.
 */
export function encodeModelWithExternalData(graph: GraphBuilder, info: ModelInfo, location: string, opset = 17): { graph: Uint8Array; data: Uint8Array } {
  const model = proto.ModelProto.decode(encodeModel(graph, info, opset))
  const chunks: Uint8Array[] = []
  let offset = 0
  for (const tensor of model.graph?.initializer ?? []) {
    const values = tensor.floatData
    if (tensor.dataType !== ELEM.float || !values || values.length * 4 < 1024) continue
    const bytes = new Uint8Array(Float32Array.from(values).buffer)
    tensor.floatData = []
    tensor.dataLocation = proto.TensorProto.DataLocation.EXTERNAL
    tensor.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.length) },
    ]
    chunks.push(bytes)
    offset += bytes.length
  }
  const data = new Uint8Array(offset)
  let at = 0
  for (const chunk of chunks) {
    data.set(chunk, at)
    at += chunk.length
  }
  return { graph: proto.ModelProto.encode(model).finish(), data }
}
