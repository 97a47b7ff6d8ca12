/**
 * @anymask/imgly: one-click subject selection and background removal on IMG.LY's @imgly/background-removal
 * (ISNet). AGPL-3.0, like the library it wraps: opt in by installing it; nothing else in anymask depends on it.
 *
 * @packageDocumentation
 * @module @anymask/imgly
 */
export { selectSubject, IMGLY_CDN, type SubjectModel, type SubjectOptions } from './selectSubject.js'
export { removeBackground } from './removeBackground.js'
export { refineWithSam } from './refineWithSam.js'
