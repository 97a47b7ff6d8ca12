/** How the tests and the browser bench launch Chromium. */

/** Debian's Chromium, headless, offline, with WebGPU on its software adapter. */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
  ],
}

/** The same without a WebGPU adapter: 'auto' picks WASM, which is what most visitors' browsers run. */
export const chromiumWithoutWebGpu = { ...chromiumLaunch, args: chromiumLaunch.args.filter((a) => a !== '--enable-unsafe-webgpu') }
