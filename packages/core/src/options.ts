/**
 * The one place public options and arguments are checked, for every package (core, edit, the adapters). A value
 * that cannot be used is refused with INVALID_OPTION naming the function, the option, what was given (strings
 * quoted, so "12" is not read as 12) and what is expected; nothing is silently ignored, clamped or defaulted.
 *
 * @example
 * const radius = checkNumber(options.radius, 'dilate', 'radius', { min: 0 })
 * const color = checkColor(options.color, 'recolor', 'options.color')
 */
import { AnymaskError } from './AnymaskError.js'

/** A value as a person would write it back: strings quoted, arrays and objects shown briefly. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
  if (Array.isArray(value)) return `[${value.slice(0, 6).map(describeValue).join(', ')}${value.length > 6 ? ', ...' : ''}]`
  if (typeof value === 'bigint') return `${value}n`
  if (value && typeof value === 'object') return ArrayBuffer.isView(value) ? `a ${value.constructor.name}` : 'an object'
  return String(value)
}

/** The INVALID_OPTION error for `name` of `where` given `value`, when `expected` was wanted. */
export const invalidOption = (where: string, name: string, value: unknown, expected: string) =>
  new AnymaskError('INVALID_OPTION', `${where}: ${name} is ${describeValue(value)}; expected ${expected}.`)

export interface NumberRule {
  /** Smallest allowed value (inclusive unless `above`). */
  min?: number
  /** The value must be greater than `min`. */
  above?: boolean
  max?: number
  /** Whole numbers only (sizes, counts, pixel offsets). */
  integer?: boolean
  /** Infinity is allowed (as "no limit"). */
  infinite?: boolean
}

function expectation(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a finite number'
  const range = [rule.min !== undefined ? `${rule.above ? '>' : '>='} ${rule.min}` : '', rule.max !== undefined ? `<= ${rule.max}` : ''].filter(Boolean)
  return `${kind}${range.length ? ` ${range.join(' and ')}` : ''}${rule.infinite ? ' (or Infinity)' : ''}`
}

/** `value` as a number obeying `rule`, or INVALID_OPTION. */
export function checkNumber(value: unknown, where: string, name: string, rule: NumberRule = {}): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) ? !rule.integer || Number.isInteger(value) : rule.infinite === true && value > 0) &&
    (rule.min === undefined || (rule.above ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max)
  if (!ok) throw invalidOption(where, name, value, expectation(rule))
  return value as number
}

/** `value`, or `fallback` when it is undefined, as a number obeying `rule`. */
export function optionalNumber(value: unknown, fallback: number, where: string, name: string, rule: NumberRule = {}): number {
  return value === undefined ? fallback : checkNumber(value, where, name, rule)
}

/** `value`, or `fallback` when it is undefined, as a boolean. */
export function optionalBoolean(value: unknown, fallback: boolean, where: string, name: string): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw invalidOption(where, name, value, 'true or false')
  return value
}

/** `value`, or `fallback` when it is undefined, as one of `choices`. */
export function optionalChoice<T extends string>(value: unknown, fallback: T, choices: readonly T[], where: string, name: string): T {
  if (value === undefined) return fallback
  const quoted = choices.map((c) => `'${c}'`)
  if (!choices.includes(value as T))
    throw invalidOption(where, name, value, `${quoted.slice(0, -1).join(', ')}${quoted.length > 1 ? ' or ' : ''}${quoted.at(-1)}`)
  return value as T
}

/**
 * An options argument: undefined (no options) or a plain object; with `known`, a name outside it (a typo) is an
 * error that lists the right ones rather than a setting silently ignored.
 */
export function checkOptions<T extends object>(value: T | undefined, where: string, name = 'options', known?: readonly string[]): Partial<T> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidOption(where, name, value, 'an object of options (or nothing)')
  const unknown = known && Object.keys(value).find((key) => !known.includes(key))
  if (unknown) throw new AnymaskError('INVALID_OPTION', `${where}: ${name}.${unknown} is not known; the names are ${known.join(', ')}. Check the spelling.`)
  return value
}

/**
 * An sRGB colour `[r, g, b]`, each 0..255; fractions are rounded (40.5 -> 41). A colour whose channels all lie in
 * 0..1 with a fraction among them is refused as the 0..1 mistake, with the fix.
 */
export function checkColor(value: unknown, where: string, name: string): [number, number, number] {
  const expected = 'an sRGB colour [r, g, b] with each channel a number 0..255'
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw invalidOption(where, name, value, expected)
  }
  const channels = value as number[]
  if (channels.some((v) => v < 0 || v > 255)) throw invalidOption(where, name, value, expected)
  if (channels.every((v) => v <= 1) && channels.some((v) => !Number.isInteger(v))) {
    throw invalidOption(where, name, value, `${expected} (it looks like 0..1 channels: multiply them by 255)`)
  }
  return channels.map(Math.round) as [number, number, number]
}
