/** `npm run verify:models` (scripts/verifyModels.ts) against the replicas: the checks run, and fail when they should. */
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { models } from '@anymask/core'
import { REPLICA_HUB, replicaPath } from '../../models/src/paths.js'
import { renderChecks, verifyModels } from '../../scripts/verifyModels.js'
import { serveFolder } from '../support/staticServer.js'

const PUBLIC_IDS = Object.keys(models).filter((id) => id !== 'anymask-lite')

describe('verify:models', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'anymask-verify-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('checks every registry entry in a local folder: IO, what the decoder takes, a smoke decode; integrity shown for replicas', async () => {
    const checks = await verifyModels({ local: REPLICA_HUB, replicas: true })
    expect(checks.map((c) => c.id)).toEqual(PUBLIC_IDS)
    for (const check of checks) {
      expect(check.error).toBeUndefined()
      expect(check.ok).toBe(true)
      expect(check.promptsMatch).toBe(true)
      expect(check.smoke).toMatch(/^ok: [13] mask/)
      expect(check.io.decoder.inputs.length).toBeGreaterThan(0)
    }
    const table = renderChecks(checks, { replicas: true })
    for (const id of PUBLIC_IDS) expect(table).toContain(`| ${id} |`)
    expect(table).toContain('differs (replica)')
    expect(table).toContain('input_labels [batch, point_batch, num_points] int64')
  })

  it('fails an entry whose files are not the published ones (size and sha256), without --replicas', async () => {
    const checks = await verifyModels({ local: REPLICA_HUB, ids: ['mobilesam'] })
    expect(checks[0].ok).toBe(false)
    expect(checks[0].files.every((f) => f.sha256 !== f.expectedSha256 && f.expectedSha256?.length === 64)).toBe(true)
    expect(renderChecks(checks)).toContain('MISMATCH')
  })

  it('fails an entry whose decoder has another contract, naming it', async () => {
    const hub = join(scratch, 'hub')
    cpSync(REPLICA_HUB, hub, { recursive: true })
    const target = replicaPath(models.mobilesam.decoder).replace(REPLICA_HUB, hub)
    writeFileSync(target, readFileSync(replicaPath(models['sam2-tiny'].decoder)))
    const [check] = await verifyModels({ local: hub, replicas: true, ids: ['mobilesam'] })
    expect(check.ok).toBe(false)
    expect(check.error).toMatch(/does not have the inputs and outputs of the 'sam' contract/)
  })

  it('downloads from a server in the hub layout (--mirror)', async () => {
    const server = await serveFolder(REPLICA_HUB)
    try {
      const [check] = await verifyModels({ mirror: server.url, replicas: true, ids: ['sam2.1-tiny'] })
      expect(check.ok).toBe(true)
      expect(check.files.map((f) => f.file)).toEqual(['encoder', 'decoder', 'encoderData', 'decoderData'])
      expect(server.requests.some((p) => p.endsWith('prompt_encoder_mask_decoder.onnx_data'))).toBe(true)
    } finally {
      await server.close()
    }
  })
})
