import { describe, expect, it } from 'vitest'
import { mirrorModel, models, type ModelFile, type ModelSpec } from '@anymask/core'

const FILES: ModelFile[] = ['encoder', 'decoder', 'encoderData', 'decoderData']
const publicSpecs = () => (Object.values(models) as ModelSpec[]).filter((m) => m.id !== 'anymask-lite')
const address = /^https:\/\/huggingface\.co\/([\w.-]+\/[\w.-]+)\/resolve\/([0-9a-f]{40}|main)\/(.+)$/

describe('models registry', () => {
  it('has the ids of DESIGN.md, with the contract of each export', () => {
    expect(Object.fromEntries(Object.values(models).map((m) => [m.id, m.contract]))).toEqual({
      'anymask-lite': 'sam',
      'slimsam-77': 'hf-sam',
      'sam-vit-b': 'hf-sam',
      mobilesam: 'sam',
      'sam2-tiny': 'sam2',
      'sam2.1-tiny': 'hf-sam2',
    })
    for (const [id, spec] of Object.entries(models)) expect(spec.id).toBe(id)
  })

  it('names single files on the hub at a pinned revision, with exact sizes and sha256, and what each export takes', () => {
    for (const spec of publicSpecs()) {
      const urls = FILES.map((file) => [file, spec[file]] as const).filter(([, url]) => url !== undefined)
      for (const [file, url] of urls) {
        const match = String(url).match(address)
        expect(match, `${spec.id} ${file}: ${String(url)}`).not.toBeNull()
        // Pinned: a commit, or (sam-vit-b, whose commits could not be read) the sha256 of every file.
        if (match![2] === 'main') expect(spec.id).toBe('sam-vit-b')
        expect(match![3]).toMatch(file.endsWith('Data') ? /\.onnx_data$/ : /\.onnx$/) // single files, no archives
        expect(spec.sha256?.[file]).toMatch(/^[0-9a-f]{64}$/)
        expect(Number.isInteger(spec.bytes?.[file]) && spec.bytes![file]! > 0).toBe(true)
      }
      // External weights sit beside their graph under the name the graph refers to.
      if (spec.encoderData) expect(spec.encoderData).toBe(`${String(spec.encoder)}_data`)
      if (spec.decoderData) expect(spec.decoderData).toBe(`${String(spec.decoder)}_data`)
      expect(spec.prompts).toBeDefined()
      expect(spec.license).toBe('Apache-2.0')
    }
  })

  it('points at the published exports (CONTRACTS.md): no zip-only repository, Acly MobileSAM, SAM 2.0 files named as such', () => {
    const all = publicSpecs().flatMap((s) => FILES.map((f) => String(s[f] ?? '')))
    expect(all.filter((url) => url.includes('vietanhdev/segment-anything-onnx-models'))).toEqual([])
    expect(models.mobilesam.encoder).toMatch(/Acly\/MobileSAM\/resolve\/[0-9a-f]{40}\/mobile_sam_image_encoder\.onnx$/)
    expect(models.mobilesam.decoder).toMatch(/sam_mask_decoder_multi\.onnx$/)
    expect(models['sam2-tiny'].encoder).toMatch(/\/sam2_hiera_tiny\.encoder\.onnx$/)
    expect(models['sam2.1-tiny'].encoder).toMatch(/onnx-community\/sam2\.1-hiera-tiny-ONNX\//)
    // The decoders that take no box and no mask say so: they have no such input.
    expect(models['slimsam-77'].prompts).toEqual({ box: false, mask: false, candidates: 3, singleMask: false })
  })

  it('keeps the embedded default offline, in a chunk loaded only when the model loads', async () => {
    const { encoder, decoder } = models['anymask-lite']
    expect(typeof encoder).toBe('function') // not a string in the registry's own module
    await expect(encoder()).resolves.toMatch(/^data:application\/octet-stream;base64,CA/) // an ONNX file starts 0x08
    await expect(decoder()).resolves.toMatch(/^data:application\/octet-stream;base64,CA/)
  })

  it('mirrorModel moves every hub address to another server and keeps the rest', () => {
    const mirrored = mirrorModel(models['sam2.1-tiny'], 'https://cdn.example.com/hf')
    for (const file of FILES) expect(mirrored[file]).toBe(String(models['sam2.1-tiny'][file]).replace('https://huggingface.co/', 'https://cdn.example.com/hf/'))
    expect(mirrored.sha256).toBe(models['sam2.1-tiny'].sha256)
    const bytes = new Uint8Array([1, 2, 3])
    expect(mirrorModel({ ...models.mobilesam, encoder: bytes }, 'https://x/').encoder).toBe(bytes)
  })
})
