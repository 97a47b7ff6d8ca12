import { maskToSvgPath, resizeMask, type Mask } from '@anymask/core'

/** Default colours; a theme overrides them with the CSS variables of the same name. */
export const THEME_DEFAULTS = {
  '--anymask-color-1': '#3b82f6',
  '--anymask-color-2': '#f59e0b',
  '--anymask-color-3': '#10b981',
  '--anymask-color-4': '#ec4899',
  '--anymask-color-5': '#8b5cf6',
  '--anymask-color-6': '#ef4444',
  '--anymask-overlay-opacity': '0.45',
  '--anymask-outline-width': '2',
  '--anymask-preview-color': '#ffffff',
  '--anymask-box-color': '#facc15',
} as const

export type ThemeVariable = keyof typeof THEME_DEFAULTS

/** Every CSS variable the component reads: those of THEME_DEFAULTS and the ones only CSS reads. */
export type ThemeVariableName =
  | ThemeVariable
  | '--anymask-point-size'
  | '--anymask-positive'
  | '--anymask-negative'
  | '--anymask-background'
  | '--anymask-height'
  | '--anymask-font'

/** Theme variables as a React `style` takes them: `style={{ '--anymask-color-1': '#f0f' }}` type-checks, typos do not. */
export type ThemeStyle = { [name in ThemeVariableName]?: string | number }

/** Reads a theme variable from the element's computed style, falling back to the default. */
export function themeValue(element: Element, name: ThemeVariable): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || THEME_DEFAULTS[name]
}

/** The colour variable of a palette slot. */
export const colorVariable = (colorIndex: number) => `--anymask-color-${(colorIndex % 6) + 1}` as ThemeVariable

/** The CSS value of a palette slot's colour, with its default. */
export const colorCss = (colorIndex: number) => `var(${colorVariable(colorIndex)}, ${THEME_DEFAULTS[colorVariable(colorIndex)]})`

/** Halvings of a mask shown at `screenScale` screen pixels per mask pixel that keep a pixel per screen pixel. */
const levelOf = (screenScale: number) => Math.max(0, Math.floor(Math.log2(1 / screenScale)))

/**
 * What to trace for a mask shown at `screenScale` screen pixels per mask pixel: the mask itself when it is shown at
 * half size or more, else a copy scaled down by a power of two to about one pixel per screen pixel, and the factor
 * that takes the copy's coordinates back to the mask's. A 12 MP selection shown in a 1000-pixel viewport is traced
 * at 1000 x 750, not at 4000 x 3000 (tracing the full mask cost several decodes and a 92 MB buffer).
 */
export function outlineLevel(mask: Mask, screenScale: number): { traced: Mask; factor: number } {
  const level = levelOf(screenScale)
  if (level === 0) return { traced: mask, factor: 1 }
  const width = Math.max(1, Math.round(mask.width / 2 ** level))
  const height = Math.max(1, Math.round(mask.height / 2 ** level))
  return { traced: resizeMask(mask, width, height), factor: mask.width / width }
}

const outlines = new WeakMap<Mask, Map<number, { path: Path2D; factor: number }>>()

/**
 * A mask's outline as a vector path, traced at about the resolution it is shown at (cached per mask and level;
 * zooming in retraces finer), and the factor from the path's coordinates to the mask's pixels. `traced`, the mask's
 * own outline when the worker traced it already (hover previews), is used where the mask is shown at full level.
 */
export function outlineOf(mask: Mask, screenScale: number, traced?: string): { path: Path2D; factor: number } {
  const level = levelOf(screenScale)
  let levels = outlines.get(mask)
  if (!levels) outlines.set(mask, (levels = new Map()))
  let outline = levels.get(level)
  if (!outline && level === 0 && traced !== undefined) levels.set(level, (outline = { path: new Path2D(traced), factor: 1 }))
  if (!outline) {
    const { traced, factor } = outlineLevel(mask, screenScale)
    levels.set(level, (outline = { path: new Path2D(maskToSvgPath(traced)), factor }))
  }
  return outline
}
