// The floor in sunlight and at night: every floor screen in the high-contrast theme and in the dark
// theme (the device's own dark mode, Automatic) has no accessibility violation of any impact that
// axe finds — contrast first among them — and each is kept as a screenshot.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepScreenshot, launchChromium, startDockhand, statusText, type RunningApp } from './harness';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every violation axe finds on the page, any impact, with the elements it names. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

const SCREENS: { name: string; open: (page: Page) => Promise<void> }[] = [
  { name: 'home', open: async (page) => {
    await page.goto(app.url);
    await page.getByRole('navigation', { name: 'Workflows' }).waitFor();
  } },
  { name: 'receive', open: async (page) => {
    await page.goto(`${app.url}/receive`);
    await page.getByRole('link', { name: 'PO-7781' }).click();
    await page.getByLabel('Scan', { exact: true }).waitFor();
  } },
  { name: 'putaway', open: async (page) => {
    await page.goto(`${app.url}/putaway`);
    await page.getByLabel('Scan', { exact: true }).waitFor();
  } },
  { name: 'pick', open: async (page) => {
    await page.goto(`${app.url}/pick`);
    await page.locator('a[href^="/pick/"]').first().click();
    await page.getByRole('region', { name: 'Current line' }).waitFor();
  } },
  { name: 'returns', open: async (page) => {
    await page.goto(`${app.url}/returns`);
    await page.getByRole('link', { name: 'RMA-HBO-0042' }).click();
    await page.getByLabel('Scan', { exact: true }).waitFor();
  } },
  { name: 'pack', open: async (page) => {
    await page.goto(`${app.url}/pack`);
    await page.getByLabel('Scan', { exact: true }).waitFor();
  } },
];

for (const theme of ['sunlight', 'dark'] as const) {
  describe(`the ${theme} theme`, () => {
    let page: Page;
    beforeAll(async () => {
      const context = await browser.newContext({ viewport: { width: 412, height: 915 }, colorScheme: theme === 'dark' ? 'dark' : 'light' });
      page = await context.newPage();
      await page.goto(app.url);
      if (theme === 'sunlight') await page.evaluate(() => localStorage.setItem('dockhand.theme', 'sunlight'));
      await page.getByLabel('Username').fill('operator');
      await page.getByLabel('PIN').fill('1111');
      await page.getByRole('button', { name: 'Sign in' }).click();
      for (let waited = 0; !(await statusText(page)).includes('All synced'); waited += 250) {
        if (waited > 30_000) throw new Error(`Never synced: ${await statusText(page)}`);
        await page.waitForTimeout(250);
      }
    }, 60_000);
    afterAll(async () => page?.context().close());

    for (const screen of SCREENS) {
      it(`has no violations on ${screen.name}`, async () => {
        await screen.open(page);
        await page.waitForTimeout(300);
        // Dark is the device's own dark mode, followed by Automatic.
        expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
        await keepScreenshot(page, `theme-${theme}-${screen.name}`, { fullPage: false });
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}
