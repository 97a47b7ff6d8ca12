import type { Preview } from '@storybook/react-vite'

const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    // The Playground is the landing page; the packages' stories follow.
    options: { storySort: { order: ['Playground', '*'] } },
  },
}
export default preview
