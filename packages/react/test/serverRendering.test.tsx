/** @anymask/react is safe to import and render on a server: nothing touches window until mounted. */
import { describe, expect, it } from 'vitest'
import { renderToString } from 'react-dom/server'
import { SegmentCanvas } from '@anymask/react'
import { STYLES } from '../src/styles.js'

const MyLoading = () => <p className="my-loading">wait</p>

describe('server rendering', () => {
  it('imports and renders the loading state without a DOM', () => {
    expect(typeof window).toBe('undefined')
    const html = renderToString(<SegmentCanvas image="/photo.jpg" className="editor" />)
    expect(html).toContain('data-state="loading"')
    expect(html).toContain('class="anymask-root editor"')
    expect(html).toContain('role="application"')
    expect(html).toContain('role="toolbar"')
    expect(html).toContain('aria-live="polite"')
  })

  it('ships its stylesheet in the markup, with nothing a server renderer would escape (React 18 escapes <style> text)', () => {
    const html = renderToString(<SegmentCanvas image="/photo.jpg" />)
    expect(html).toContain(`<style>${STYLES}</style>`)
    expect(STYLES).not.toMatch(/['"&<>]/)
  })

  it('renders slots given as components and hides those given as null', () => {
    const html = renderToString(<SegmentCanvas image="/photo.jpg" components={{ Toolbar: null, Loading: MyLoading }} />)
    expect(html).not.toContain('role="toolbar"')
    expect(html).toContain('<p class="my-loading">wait</p>')
  })
})
