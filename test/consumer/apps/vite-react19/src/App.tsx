import { useEffect, useRef, useState } from 'react'
import { createSegmenter, type Segmenter, type SelectionObject } from '@anymask/core'
import { cutout, toBlob } from '@anymask/edit'
import { SegmentCanvas, type SegmentCanvasHandle } from '@anymask/react'
// README, "Using it with a bundler": the worker as its own module, for workerUrl.
import workerUrl from '@anymask/core/worker?worker&url'

// ?worker=0: inference on the page's thread; ?worker=url: in the worker at workerUrl. Either way with a segmenter
// the app creates and owns.
const mode = new URLSearchParams(location.search).get('worker')
const ownSegmenter = mode === '0' || mode === 'url'

export function App() {
  const ref = useRef<SegmentCanvasHandle>(null)
  const [objects, setObjects] = useState<readonly SelectionObject[]>([])
  const [segmenter, setSegmenter] = useState<Segmenter>()
  const [download, setDownload] = useState<string>()
  const [runtime, setRuntime] = useState('')

  useEffect(() => {
    if (!ownSegmenter) return
    const created = createSegmenter(mode === '0' ? { worker: false } : { workerUrl })
    created.then(setSegmenter, (error) => console.error(error))
    return () => void created.then((s) => s.dispose())
  }, [])

  const saveCutout = async () => {
    const handle = ref.current
    const mask = handle?.selectionMask()
    if (handle?.image && mask) setDownload(URL.createObjectURL(await toBlob(cutout(handle.image, mask, { trim: true }), 'image/png')))
  }

  if (ownSegmenter && !segmenter) return <p>Creating the segmenter…</p>
  return (
    <main>
      <SegmentCanvas
        ref={ref}
        image="/scene.png"
        segmenter={segmenter}
        onMasksChange={setObjects}
        onReady={({ segmenter }) => setRuntime(`${segmenter.device}, ${segmenter.threads} threads`)}
        style={{ '--anymask-color-1': '#0af', height: 480, width: 640 }}
      />
      <p id="runtime">{runtime}</p>
      <p id="objects">{objects.length} objects</p>
      <button type="button" onClick={saveCutout}>
        Cut out
      </button>
      {download && (
        <a id="download" href={download} download="cutout.png">
          Download cutout.png
        </a>
      )}
    </main>
  )
}
