/**
 * Memory readings in Node for the memory bench and the reliability suite: the JS heap's objects, its compiled code,
 * ArrayBuffers outside it, onnxruntime's WASM memory and the resident set, each after a full garbage collection (run
 * with --expose-gc).
 * Import it before onnxruntime starts: it notes every WebAssembly.Memory made and every instance's exported memory,
 * to read their sizes (observing only; the runtime gets the real objects).
 */
import { getHeapSpaceStatistics } from 'node:v8'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('memory readings need a full garbage collection between them: run node with --expose-gc.')

const memories = new Set<WebAssembly.Memory>()
const NativeMemory = WebAssembly.Memory
WebAssembly.Memory = new Proxy(NativeMemory, {
  construct(target, args) {
    const memory = Reflect.construct(target, args) as WebAssembly.Memory
    memories.add(memory)
    return memory
  },
})
const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (...args: unknown[]) => Promise<unknown>
;(WebAssembly as { instantiate: unknown }).instantiate = async (...args: unknown[]) => {
  const result = (await instantiate(...args)) as { instance?: WebAssembly.Instance } & WebAssembly.Instance
  const exports = (result.instance ?? result).exports
  for (const value of Object.values(exports)) if (value instanceof NativeMemory) memories.add(value)
  return result
}

export interface MemoryReading {
  /** The JS heap without compiled code: the objects a leak would keep. */
  jsHeap: number
  /**
   * Compiled code (V8's code spaces). It grows as V8 optimises hot functions, sooner or later with the machine's load
   * (60-120 kB over the memory test's phases beside other work, about half the heap's growth), so it is read apart.
   */
  jsCode: number
  arrayBuffers: number
  wasm: number
  rss: number
}

/**
 * A reading after full collections. ArrayBuffers' memory is freed a little after the collection that finds them
 * (and finalizers run later still), so it collects, waits and collects again a few times first.
 */
export async function memoryReading(): Promise<MemoryReading> {
  for (let round = 0; round < 5; round++) {
    gc!()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  gc!()
  const m = process.memoryUsage()
  const jsCode = getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_used_size, 0)
  const wasm = [...memories].reduce((sum, memory) => sum + memory.buffer.byteLength, 0)
  return { jsHeap: m.heapUsed - jsCode, jsCode, arrayBuffers: m.arrayBuffers, wasm, rss: m.rss }
}
