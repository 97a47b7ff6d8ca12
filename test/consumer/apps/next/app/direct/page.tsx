import { SegmentCanvas } from '@anymask/react'

// <SegmentCanvas> straight from a server component, no wrapper of the app's own: @anymask/react marks itself
// 'use client'. (Callbacks such as onMasksChange need a client component of your own, as in ../Editor.tsx.)
export default function Direct() {
  return <SegmentCanvas image="/scene.png" style={{ height: 480, width: 640 }} />
}
