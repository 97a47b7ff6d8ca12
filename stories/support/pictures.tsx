/** Pictures the stories show: RGBA images on a checkerboard, masks as grey pictures, PNG download links. */
import { useEffect, useRef, useState } from 'react'
import type { Mask, RgbaImage } from '@anymask/core'
import { drawToCanvas, toBlob } from '@anymask/edit'

/** A mask as an opaque grey picture: white = 255, as inpainting tools want it. */
export function rgbaOfMask(mask: Mask): RgbaImage {
  const data = new Uint8ClampedArray(mask.data.length * 4)
  for (const [i, v] of mask.data.entries()) data.set([v, v, v, 255], i * 4)
  return { data, width: mask.width, height: mask.height }
}

/** An image in a canvas, over a checkerboard that shows its transparency. */
export function Picture({ image, label, maxWidth }: { image: RgbaImage; label: string; maxWidth: number | string }) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    Object.assign(ref.current!, { width: image.width, height: image.height })
    drawToCanvas(image, ref.current!)
  }, [image])
  return <canvas ref={ref} aria-label={label} style={{ maxWidth, background: 'repeating-conic-gradient(#ccc 0 25%, #fff 0 50%) 0 0 / 16px 16px' }} />
}

/** An object URL of the image as a PNG (for a download link), revoked when the image changes. */
export function usePngUrl(image: RgbaImage | null | undefined): string | undefined {
  const [url, setUrl] = useState<string>()
  useEffect(() => {
    if (!image) return setUrl(undefined)
    let made: string | undefined
    void toBlob(image, 'image/png').then((blob) => setUrl((made = URL.createObjectURL(blob))))
    return () => {
      if (made) URL.revokeObjectURL(made)
    }
  }, [image])
  return url
}
