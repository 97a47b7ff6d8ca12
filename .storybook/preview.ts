import type { Preview } from '@storybook/react-vite'
import { configure } from 'storybook/test'

// Play functions' waitFor / findBy* wait up to 10 s, not testing-library's 1 s, wherever they run (the vitest
// project, `npm run demos`, a static build): they run real models, and on two busy cores or a slow CPU a decode that
// takes 80 ms alone can take seconds.
configure({ asyncUtilTimeout: 10_000 })

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    // The Playground is the landing page; the packages' stories follow.
    options: { storySort: { order: ['Playground', '*'] } },
  },
}
export default preview
