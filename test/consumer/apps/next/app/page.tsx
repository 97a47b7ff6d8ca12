import { Editor } from './Editor'

// A server component: the heading is rendered on the server only; <Editor> is rendered there too, then hydrated.
export default function Page() {
  return (
    <main>
      <h1>Segment a photo</h1>
      <Editor />
    </main>
  )
}
