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
  /** How different (CIE76) a mask's colour must be from its object before it is shaded lighter or darker; 0: never. */
  '--anymask-fill-contrast': '35',
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
  | '--anymask-toolbar-height'
  | '--anymask-accent'
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
