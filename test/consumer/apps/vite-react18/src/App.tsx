import { useRef, useState } from 'react'
import type { SelectionObject } from '@anymask/core'
import { SegmentCanvas, type SegmentCanvasHandle } from '@anymask/react'

/** <SegmentCanvas> on React 18, driven through its ref handle. */
export function App() {
  const ref = useRef<SegmentCanvasHandle>(null)
  const [objects, setObjects] = useState<readonly SelectionObject[]>([])
  const [measured, setMeasured] = useState('')

  // What the handle gives: the active object's mask and the selection's bounds (null when the ref never got a handle).
  const measure = () => {
    const handle = ref.current
    const mask = handle?.exportMask() ?? null
    const box = handle?.selectionMask()?.bbox
    setMeasured(JSON.stringify({ handle: handle !== null, area: mask?.area ?? null, selection: box && [box.x1 - box.x0, box.y1 - box.y0] }))
  }

  return (
    <main>
      <SegmentCanvas ref={ref} image="/scene.png" onMasksChange={setObjects} style={{ '--anymask-color-1': '#0af', height: 480, width: 640 }} />
      <p id="objects">{objects.length} objects</p>
      <button type="button" onClick={measure}>
        Measure
      </button>
      <p id="measured">{measured}</p>
    </main>
  )
}
