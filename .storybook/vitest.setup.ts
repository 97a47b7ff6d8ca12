/**
 * Every story is a test (Storybook's vitest addon): it must render, its play function must pass, and nothing
 * may be written to console.error on the way.
 */
import { setProjectAnnotations } from '@storybook/react-vite'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import * as preview from './preview.js'

setProjectAnnotations([preview])

let errors: unknown[][] = []
const original = console.error
beforeEach(() => {
  errors = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args)
    original(...args)
  })
})
afterEach(() => {
  vi.mocked(console.error).mockRestore()
  expect(errors.map((args) => args.map(String).join(' '))).toEqual([])
})
