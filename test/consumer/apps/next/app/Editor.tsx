'use client'

import { useState } from 'react'
import type { SelectionObject } from '@anymask/core'
import { SegmentCanvas } from '@anymask/react'

export function Editor() {
  const [objects, setObjects] = useState<readonly SelectionObject[]>([])
  const [runtime, setRuntime] = useState('')
  return (
    <>
      <SegmentCanvas
        image="/scene.png"
        onMasksChange={setObjects}
        onReady={({ segmenter }) => setRuntime(`${segmenter.device}, ${segmenter.threads} threads`)}
        style={{ height: 480, width: 640 }}
      />
      <p id="runtime">{runtime}</p>
      <p id="objects">{objects.length} objects</p>
    </>
  )
}
