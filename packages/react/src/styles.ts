/**
 * The default look as one stylesheet of zero specificity (`:where`): the theme variables (`--anymask-*`) change its
 * colours and sizes, and any rule of the page's own wins over it without `!important`.
 * No quotes, &, < or > in it: React 18 escapes the text of a <style> it renders on a server (React 19 does not).
 */
export const STYLES = `
:where(.anymask-root) { display: flex; flex-direction: column; position: relative; font-family: var(--anymask-font, system-ui, sans-serif) }
:where(.anymask-toolbar) { display: flex; flex: none; gap: 6px; padding: 0 6px; align-items: center; box-sizing: border-box;
  height: var(--anymask-toolbar-height, 40px); overflow-x: auto; overflow-y: hidden; white-space: nowrap; scrollbar-width: thin;
  container-type: inline-size }
:where(.anymask-toolbar button, .anymask-candidates, .anymask-layers) { flex: none }
:where(.anymask-toolbar button) { font: inherit; padding: 2px 8px; cursor: pointer }
:where(.anymask-icon) { margin-right: 4px }
@container (max-width: 760px) {
  :where(.anymask-toolbar .anymask-label) { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap }
  :where(.anymask-toolbar .anymask-icon) { margin-right: 0 }
}
:where(.anymask-toolbar button[aria-pressed=true]) { background: var(--anymask-accent, #2563eb); border-color: var(--anymask-accent, #2563eb); color: white }
:where(.anymask-candidates, .anymask-layers, .anymask-layers li) { display: inline-flex; gap: 4px; align-items: center; margin: 0; padding: 0; list-style: none }
:where(.anymask-layers li[data-active]) { outline: 2px solid currentColor }
:where(.anymask-swatch) { width: 10px; height: 10px }
:where(.anymask-candidates button) { display: inline-flex; gap: 4px; align-items: center }
:where(.anymask-thumbnail) { height: 18px; image-rendering: pixelated }
:where(.anymask-viewport) { position: relative; flex: 1 1 auto; min-height: 0; height: var(--anymask-height, 480px); overflow: hidden; touch-action: none;
  background: var(--anymask-background, #1f2937); cursor: pointer; outline-offset: -2px }
:where(.anymask-root[data-tool=box] .anymask-viewport) { cursor: crosshair }
:where(.anymask-image) { transform-origin: 0 0 }
:where(.anymask-image, .anymask-overlay, .anymask-box, .anymask-rubber, .anymask-cursor, .anymask-point) { position: absolute; top: 0; left: 0; pointer-events: none }
:where(.anymask-box, .anymask-rubber) { border: 2px dashed var(--anymask-box-color, #facc15); box-sizing: border-box }
:where(.anymask-cursor) { width: 16px; height: 16px; transform: translate(-50%, -50%); border: 2px solid var(--anymask-box-color, #facc15); border-radius: 2px }
:where(.anymask-point) { width: var(--anymask-point-size, 12px); height: var(--anymask-point-size, 12px); transform: translate(-50%, -50%); border-radius: 50%;
  background: var(--anymask-positive, #22c55e); border: 2px solid white; box-sizing: border-box; opacity: 0.6 }
:where(.anymask-point[data-label=background]) { background: var(--anymask-negative, #ef4444) }
:where(.anymask-point[data-active]) { opacity: 1 }
:where(.anymask-loading) { position: absolute; inset: auto 12px 12px 12px; padding: 8px; background: rgba(0, 0, 0, 0.6); color: white; border-radius: 6px }
:where(.anymask-loading progress) { width: 100% }
:where(.anymask-progress) { position: absolute; left: 12px; right: 12px; bottom: 12px; width: auto }
:where(.anymask-error) { position: absolute; inset: 12px; padding: 12px; background: #7f1d1d; color: white; border-radius: 6px; overflow: auto }
:where(.anymask-error p) { margin: 6px 0 0 }
:where(.anymask-announcer) { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap }
`
