import { ArgTypes, Description, Primary, Subtitle, Title } from '@storybook/addon-docs/blocks'
import type { Preview } from '@storybook/react-vite'
import { configure } from 'storybook/test'

// Play functions' waitFor / findBy* wait up to 10 s, not testing-library's 1 s, wherever they run (the vitest
// project, `npm run demos`, a static build): they run real models, and on two busy cores or a slow CPU a decode that
// takes 80 ms alone can take seconds.
configure({ asyncUtilTimeout: 10_000 })

/**
 * A component's docs page (tags: ['autodocs']): what it is, its first story live, and its props table from the
 * TypeScript types (Storybook's react-component-meta docgen reads them with the TypeScript checker, JSDoc included).
 * One story, not all of them: each runs a model, and all of them would mount twenty-three canvases on one page. The
 * packages' API pages are stories/<package>/API.mdx.
 */
const DocsPage = () => (
  <>
    <Title />
    <Subtitle />
    <Description />
    <Primary />
    <ArgTypes />
  </>
)

const preview: Preview = {
  // React's own props, in every component's type, are no part of our API.
  argTypes: { key: { table: { disable: true } }, ref: { table: { disable: true } } },
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    docs: { page: DocsPage },
    // The Playground is the landing page; the packages' stories follow.
    options: { storySort: { order: ['Playground', '*'] } },
  },
}
export default preview
