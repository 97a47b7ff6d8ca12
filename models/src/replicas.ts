/**
 * Replicas of the published exports: for every public registry entry (and the export variants the contracts must
 * handle), small graphs with exactly that export's IO (names, dtypes, ranks, dynamic axes, in-graph preprocessing,
 * in-graph padding, single-mask selection, output clamping, external data) whose masks are known in advance.
 *
 * The decoders draw the prompt in the export's own coordinate space, after the `+ 0.5` every SAM prompt encoder
 * adds: a disk of radius DISK around each object point, the box as a rectangle, a disk of radius HOLE cut out around
 * each background point, and the previous mask (where the export takes one) joined in. Logits are signed distances
 * in model pixels, so bilinear upscaling puts the edge where the geometry says, to a fraction of a pixel; token k
 * grows the shape by TOKEN_GROWTH[k] model pixels and scores TOKEN_SCORES[k], so each answer is recognisable.
 * A client that gets a coordinate, a padding point, a label, a token or the upscaling wrong gets another mask.
 */
import {
  hfPromptInputs,
  hfSamDecoderInputs,
  hfSamDecoderOutputs,
  samDecoderInputs,
  samDecoderOutputs,
  samPreprocessInGraph,
  samUpscaledMasks,
  type SamPrompts,
} from './contractIO.js'
import { encodeModel, encodeModelWithExternalData, GraphBuilder, type Dim } from './onnxGraph.js'
import { Ops } from './ops.js'
import { DISK, EXTRA_PADDING_GROWTH, HOLE, TOKEN_GROWTH, TOKEN_SCORES } from './replicaGeometry.js'
import type { publicModels } from '../../packages/core/src/publicModels.js'

const GRID = 256
const CELL = 4
const FAR = 10_000

/**
 * Logits [L,4,256,256] and scores [L,4] of the four tokens, for SAM prompts in model pixels (before the +0.5).
 * Labels other than 1, 0, 2 and 3 (padding -1) are ignored, as the real prompt encoders' not-a-point token does.
 * `extraPadding` [L]: padding points the client sent to a graph that pads by itself (see EXTRA_PADDING_GROWTH).
 */
function draw(o: Ops, { coords, labels, prevMask, hasMask }: SamPrompts, extraPadding?: string): { lowRes: string; scores: string } {
  const g = o.g
  // One ignored point more, so that a prompt of no points (a box alone) still reduces over a non-empty axis.
  const points = g.op('Pad', [coords, o.i([0, 0, 0, 0, 1, 0]), o.c(0)], { mode: 'constant' }) // [L,N+1,2]
  const codes = g.op('Pad', [labels, o.i([0, 0, 0, 1]), o.c(-1)], { mode: 'constant' }) // [L,N+1]
  const shifted = o.add(points, o.c(0.5))
  const x = o.squeeze(o.slice(shifted, [0], [1], [2]), [2]) // [L,N+1]
  const y = o.squeeze(o.slice(shifted, [1], [2], [2]), [2])
  const centres = o.c(Array.from({ length: GRID }, (_, i) => i * CELL + CELL / 2)) // the cells' centres in model pixels
  const cx = o.reshape(centres, [1, 1, 1, GRID])
  const cy = o.reshape(centres, [1, 1, GRID, 1])
  const dx = o.sub(cx, o.unsqueeze(x, [2, 3]))
  const dy = o.sub(cy, o.unsqueeze(y, [2, 3]))
  const distance = o.sqrt(o.add(o.mul(dx, dx), o.mul(dy, dy))) // [L,N+1,G,G]
  const is = (code: number) => o.eq(codes, o.c(code))
  const disks = (code: number, radius: number) => o.rmax(o.where(o.unsqueeze(is(code), [2, 3]), o.sub(o.c(radius), distance), o.c(-FAR)), [1]) // [L,1,G,G]
  const corner = (code: number, v: string) => o.sum(o.mul(o.toFloat(is(code)), v), [1]) // [L,1]
  const col = (v: string) => o.reshape(v, [-1, 1, 1, 1])
  const x0 = col(corner(2, x))
  const y0 = col(corner(2, y))
  const x1 = col(corner(3, x))
  const y1 = col(corner(3, y))
  const hasBox = col(o.rmax(o.toFloat(is(2)), [1]))
  const rectangle = o.where(o.gt(hasBox, o.c(0)), o.min(o.sub(cx, x0), o.sub(x1, cx), o.sub(cy, y0), o.sub(y1, cy)), o.c(-FAR))
  let shape = o.min(o.max(disks(1, DISK), rectangle), o.sub(o.c(0), disks(0, HOLE)))
  shape = o.where(o.gt(col(hasMask), o.c(0)), o.max(shape, prevMask), shape)
  if (extraPadding) shape = o.add(shape, o.mul(col(extraPadding), o.c(EXTRA_PADDING_GROWTH)))
  const lowRes = o.add(shape, o.c(TOKEN_GROWTH, [1, 4, 1, 1]))
  const promptCount = o.slice(o.shape(coords), [0], [1], [0])
  const scores = g.op('Expand', [o.c(TOKEN_SCORES, [1, 4]), o.concat([promptCount, o.i([4])], 0)])
  return { lowRes, scores }
}

const multimask = (o: Ops, x: string) => o.slice(x, [1], [4], [1])

/** Per prompt [L], the points labelled -1 in `labels` [L,N] (float) or [1,L,N] (int64): padding the client added. */
function paddingCount(o: Ops, labels: string, int64 = false): string {
  const rows = int64 ? o.toFloat(o.squeeze(labels, [0])) : labels
  return o.sum(o.toFloat(o.eq(rows, o.c(-1))), [1], 0)
}

function model(g: GraphBuilder, part: string, exportName: string): Uint8Array {
  return encodeModel(g, {
    producer: 'anymask',
    docString: `anymask replica of ${exportName} (${part}): the export's IO with known masks, for tests; no weights.`,
    metadata: { anymask_model: 'replica', export: exportName, part },
  })
}

/**
 * An embedding-shaped summary of a [B,3,1024,1024] image: channel means over patches of `1024 / side` (a depthwise
 * patch-embedding convolution, so the graph has weights as the real ones do), zero-padded to `channels`.
 */
function summary(o: Ops, image: string, side: number, channels: number): string {
  const k = 1024 / side
  const weights = o.c(new Array(3 * k * k).fill(1 / (k * k)), [3, 1, k, k])
  return o.padChannels(o.g.op('Conv', [image, weights], { group: 3, kernel_shape: [k, k], strides: [k, k] }), 3, channels)
}

export type ReplicaFiles = Record<'encoder' | 'decoder', Uint8Array> & Partial<Record<'encoderData' | 'decoderData', Uint8Array>>

/** The files of one replica, as the export names them. */
export interface Replica {
  files: ReplicaFiles
}

// --- sam: segment-anything's decoder export, samexporter / Acly encoders ---------------------------------------

/** samexporter `--use-preprocess` (Acly's `mobile_sam_image_encoder.onnx`): [H,W,3] 0..255 in, normalised and padded in the graph. */
function samPreprocessEncoder(name: string): Uint8Array {
  const g = new GraphBuilder('replica_sam_encoder')
  const o = new Ops(g)
  g.output(summary(o, samPreprocessInGraph(g, o), 64, 256), 'image_embeddings', 'float', [1, 256, 64, 64])
  return model(g, 'encoder', name)
}

/**
 * segment-anything's `export_onnx_model.py` decoder: K = 4 tokens, or with `singleMask` (`--return-single-mask`)
 * the graph's own choice `argmax(iou + (N - 2.5) * [1000, 0, 0, 0])`; with `extraMetrics` (`--return-extra-metrics`)
 * five outputs under three names, so `low_res_masks` names the stability scores and the logits go unnamed.
 */
function samDecoder(name: string, { singleMask = false, extraMetrics = false } = {}): Uint8Array {
  const g = new GraphBuilder('replica_sam_decoder')
  const o = new Ops(g)
  const { embedding, origSize, ...prompts } = samDecoderInputs(g)
  void embedding
  let { lowRes, scores } = draw(o, prompts)
  if (singleMask) {
    const n = o.toFloat(o.slice(o.shape(prompts.coords), [1], [2], [0])) // [1], padding included
    const reweighted = o.add(scores, o.mul(o.sub(n, o.c(2.5)), o.c([1000, 0, 0, 0], [1, 4])))
    const best = o.squeeze(g.op('ArgMax', [reweighted], { axis: 1, keepdims: 0 }), [0]) // scalar
    lowRes = o.unsqueeze(o.gather(lowRes, best, 1), [1])
    scores = o.unsqueeze(o.gather(scores, best, 1), [1])
  }
  const k = singleMask ? 1 : 4
  if (!extraMetrics) {
    samDecoderOutputs(g, o, lowRes, scores, origSize, k)
  } else {
    const upscaled = samUpscaledMasks(o, lowRes, origSize)
    const area = (t: number) => o.sum(o.toFloat(o.gt(upscaled, o.c(t))), [2, 3], 0)
    g.output(upscaled, 'masks', 'float', [1, k, 'height', 'width'])
    g.output(scores, 'iou_predictions', 'float', [1, k])
    g.output(o.div(area(1), o.max(area(-1), o.c(1))), 'low_res_masks', 'float', [1, k]) // the stability scores
    g.output(area(0), '1418', 'float', [1, k]) // areas, unnamed
    g.output(lowRes, '1420', 'float', [1, k, 256, 256]) // the low-res logits, unnamed
  }
  return model(g, 'decoder', name)
}

// --- hf-sam: transformers.js SAM exports ----------------------------------------------------------------------

/** transformers.js `vision_encoder`: pixel_values [B,3,1024,1024] -> image_embeddings, image_positional_embeddings. */
function hfSamEncoder(name: string): Uint8Array {
  const g = new GraphBuilder('replica_hf_sam_encoder')
  const o = new Ops(g)
  const pixels = g.input('pixel_values', 'float', ['batch', 3, 1024, 1024])
  const embedding = summary(o, pixels, 64, 256)
  g.output(embedding, 'image_embeddings', 'float', ['batch', 256, 64, 64])
  g.output(o.mul(embedding, o.c(0)), 'image_positional_embeddings', 'float', ['batch', 256, 64, 64])
  return model(g, 'encoder', name)
}

/**
 * transformers.js `prompt_encoder_mask_decoder`: the `main` revisions take points only (four inputs; the graph adds
 * its own padding point, so a -1 from the client is one too many), `boxes` adds `input_boxes`. Three multimask tokens.
 */
function hfSamDecoder(name: string, { boxInput = false } = {}): Uint8Array {
  const g = new GraphBuilder('replica_hf_sam_decoder')
  const o = new Ops(g)
  const { embedding, positional, ...prompts } = hfSamDecoderInputs(g, o, { boxInput, maskInput: false })
  void positional
  const { lowRes, scores } = draw(o, prompts, paddingCount(o, 'input_labels', true))
  hfSamDecoderOutputs(g, o, multimask(o, lowRes), multimask(o, scores), embedding)
  return model(g, 'decoder', name)
}

// --- sam2: samexporter SAM 2 -----------------------------------------------------------------------------------

const SAM2_FEATURES: [string, number, number][] = [
  ['high_res_feats_0', 32, 256],
  ['high_res_feats_1', 64, 128],
  ['image_embed', 256, 64],
]

/** samexporter `export_sam2` encoder: image [1,3,1024,1024] -> high_res_feats_0, high_res_feats_1, image_embed. */
function sam2Encoder(name: string): Uint8Array {
  const g = new GraphBuilder('replica_sam2_encoder')
  const o = new Ops(g)
  const image = g.input('image', 'float', [1, 3, 1024, 1024])
  for (const [output, channels, side] of SAM2_FEATURES) g.output(summary(o, image, side, channels), output, 'float', [1, channels, side, side])
  return model(g, 'encoder', name)
}

/**
 * samexporter `export_sam2` decoder: prompts batched on L, the graph appends its own (0,0,-1) padding point, three
 * multimask tokens with logits clamped to +-32, no in-graph upscaling.
 */
function sam2Decoder(name: string): Uint8Array {
  const g = new GraphBuilder('replica_sam2_decoder')
  const o = new Ops(g)
  for (const [input, channels, side] of [...SAM2_FEATURES].reverse()) g.input(input, 'float', [1, channels, side, side])
  const coords = g.input('point_coords', 'float', ['num_labels', 'num_points', 2])
  const labels = g.input('point_labels', 'float', ['num_labels', 'num_points'])
  const prevMask = g.input('mask_input', 'float', ['num_labels', 1, 256, 256])
  const hasMask = g.input('has_mask_input', 'float', ['num_labels'])
  const padded = {
    coords: g.op('Pad', [coords, o.i([0, 0, 0, 0, 1, 0]), o.c(0)], { mode: 'constant' }),
    labels: g.op('Pad', [labels, o.i([0, 0, 0, 1]), o.c(-1)], { mode: 'constant' }),
    prevMask,
    hasMask,
  }
  const { lowRes, scores } = draw(o, padded, paddingCount(o, labels))
  g.output(o.clip(multimask(o, lowRes), -32, 32), 'masks', 'float', ['num_labels', 3, 256, 256])
  g.output(multimask(o, scores), 'iou_predictions', 'float', ['num_labels', 3])
  return model(g, 'decoder', name)
}

// --- hf-sam2: transformers.js SAM 2 export, weights as external data -------------------------------------------

const HF_SAM2_FEATURES: [string, number, number][] = [
  ['image_embeddings.0', 32, 256],
  ['image_embeddings.1', 64, 128],
  ['image_embeddings.2', 256, 64],
]

const externalFiles = (g: GraphBuilder, part: string, name: string, dataName: string) => {
  const { graph, data } = encodeModelWithExternalData(
    g,
    {
      producer: 'anymask',
      docString: `anymask replica of ${name} (${part}), weights as external data.`,
      metadata: { anymask_model: 'replica', export: name, part },
    },
    dataName,
  )
  return { graph, data }
}

/** onnx-community `vision_encoder`: pixel_values [B,3,1024,1024] -> image_embeddings.0 / .1 / .2. */
function hfSam2Encoder(name: string, dataName: string) {
  const g = new GraphBuilder('replica_hf_sam2_encoder')
  const o = new Ops(g)
  const pixels = g.input('pixel_values', 'float', ['batch', 3, 1024, 1024])
  for (const [output, channels, side] of HF_SAM2_FEATURES) g.output(summary(o, pixels, side, channels), output, 'float', ['batch', channels, side, side])
  return externalFiles(g, 'encoder', name, dataName)
}

/**
 * onnx-community `prompt_encoder_mask_decoder`: the three feature maps, input_points / int64 input_labels /
 * input_boxes; iou_scores, pred_masks (three tokens) and object_score_logits.
 */
function hfSam2Decoder(name: string, dataName: string) {
  const g = new GraphBuilder('replica_hf_sam2_decoder')
  const o = new Ops(g)
  const dims = (channels: number, side: number): Dim[] => ['batch', channels, side, side]
  const [first] = HF_SAM2_FEATURES.map(([input, channels, side]) => g.input(input, 'float', dims(channels, side)))
  const prompts = hfPromptInputs(g, o, { boxInput: true, maskInput: false })
  const { lowRes, scores } = draw(o, prompts, paddingCount(o, 'input_labels', true))
  hfSamDecoderOutputs(g, o, multimask(o, lowRes), multimask(o, scores), first)
  const objectScore = o.add(o.slice(scores, [0], [1], [1]), o.c(10)) // [P,1]: an object is always there
  const batch = o.slice(o.shape(first), [0], [1], [0])
  g.output(g.op('Reshape', [objectScore, o.concat([batch, o.shape(objectScore)], 0)]), 'object_score_logits', 'float', ['batch', 'point_batch', 1])
  return externalFiles(g, 'decoder', name, dataName)
}

/** The file names at the end of a registry address. */
const base = (url: string) => url.split('/').pop()!

/**
 * The replica of every public registry entry, by id, for the given file addresses (the registry's own). A record
 * over the registry's ids: a new entry does not compile until it has a replica.
 */
export function buildReplica(id: PublicModelId, spec: { encoder: string; decoder: string; encoderData?: string; decoderData?: string }): ReplicaFiles {
  const names = { encoder: base(spec.encoder), decoder: base(spec.decoder) }
  switch (id) {
    case 'slimsam-77':
    case 'sam-vit-b':
      return { encoder: hfSamEncoder(names.encoder), decoder: hfSamDecoder(names.decoder) }
    case 'mobilesam':
      return { encoder: samPreprocessEncoder(names.encoder), decoder: samDecoder(names.decoder) }
    case 'sam2-tiny':
      return { encoder: sam2Encoder(names.encoder), decoder: sam2Decoder(names.decoder) }
    case 'sam2.1-tiny': {
      const encoder = hfSam2Encoder(names.encoder, base(spec.encoderData!))
      const decoder = hfSam2Decoder(names.decoder, base(spec.decoderData!))
      return { encoder: encoder.graph, encoderData: encoder.data, decoder: decoder.graph, decoderData: decoder.data }
    }
  }
}

/** Export variants the registry does not list but the contracts must read right. */
export const VARIANTS = {
  /** samexporter / AnyLabeling decoders: `--return-single-mask` (K = 1, the graph picks). */
  'sam-single-mask': () => ({ encoder: samPreprocessEncoder('encoder.onnx'), decoder: samDecoder('decoder.onnx', { singleMask: true }) }),
  /** `--return-extra-metrics`: `low_res_masks` names the stability scores. */
  'sam-extra-metrics': () => ({ encoder: samPreprocessEncoder('encoder.onnx'), decoder: samDecoder('decoder.onnx', { extraMetrics: true }) }),
  /** transformers.js SAM `boxes`-style decoder: points, labels and `input_boxes`. */
  'hf-sam-boxes': () => ({ encoder: hfSamEncoder('encoder.onnx'), decoder: hfSamDecoder('decoder.onnx', { boxInput: true }) }),
} satisfies Record<string, () => ReplicaFiles>

export type PublicModelId = keyof typeof publicModels
