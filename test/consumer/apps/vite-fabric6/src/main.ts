import { Canvas, FabricImage } from 'fabric'
import { attachSegmentTool } from '@anymask/fabric'

// The package's README usage, on fabric 6: the photo rotated and scaled in a zoomed editor.
async function main() {
  const canvas = new Canvas('editor', { width: 640, height: 480, enableRetinaScaling: false })
  const photo = await FabricImage.fromURL('/scene.png')
  photo.set({ left: 320, top: 240, originX: 'center', originY: 'center', angle: 25, scaleX: 1.2, scaleY: 1.2 })
  canvas.add(photo)
  canvas.setZoom(1.1)

  const tool = attachSegmentTool(canvas, photo)
  canvas.on('anymask:change' as never, () => {
    document.querySelector('#status')!.textContent = `${tool.store.getSnapshot().objects.length} objects`
  })
  await tool.ready
  document.querySelector('#status')!.textContent = 'ready'
  Object.assign(window, { tool, canvas, photo })
}

main().catch((error) => {
  document.querySelector('#status')!.textContent = `error: ${error}`
})
