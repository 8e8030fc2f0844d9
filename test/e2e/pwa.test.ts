// The app as an installable PWA in Chromium: a valid manifest with its icons, a service worker
// that takes control, and the app opening with no network after one visit.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousViolations, startDockhand, type RunningApp } from './harness';


let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('installable PWA', () => {
  it('serves a manifest with name, icons 192 and 512 (one maskable), standalone display and start URL', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const response = await page.request.get(new URL(href!, app.url).href);
    const manifest = await response.json();
    expect(manifest).toMatchObject({ name: 'Dockhand', short_name: 'Dockhand', display: 'standalone', start_url: '/' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    const sizes = [];
    for (const icon of manifest.icons as { src: string; sizes: string; purpose?: string }[]) {
      const png = Buffer.from(await (await page.request.get(new URL(icon.src, app.url).href)).body());
      const [w, h] = pngSize(png);
      expect(`${w}x${h}`).toBe(icon.sizes);
      sizes.push(icon.sizes);
    }
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((icon: { purpose?: string }) => icon.purpose?.includes('maskable'))).toBe(true);
    await page.close();
  });

  it('is controlled by its service worker and opens offline after one visit', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);

    // The barcode decoder (zxing-cpp WebAssembly) is precached: the camera works offline too.
    const cachedWasm = await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const requests = await (await caches.open(name)).keys();
        const wasm = requests.find((request) => request.url.endsWith('.wasm'));
        if (wasm) return { url: new URL(wasm.url).pathname, bytes: (await (await caches.match(wasm))!.arrayBuffer()).byteLength };
      }
      return null;
    });
    expect(cachedWasm?.url).toMatch(/^\/assets\/zxing_reader-.*\.wasm$/);
    expect(cachedWasm!.bytes).toBeGreaterThan(100_000);

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    expect(await page.getByLabel('Username').count()).toBe(1);
    expect(await page.getByLabel('PIN').count()).toBe(1);

    const violations = await seriousViolations(page);
    expect(violations).toEqual([]);
    await context.close();
  });
});
