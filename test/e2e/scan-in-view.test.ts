// The answer to a scan is always in view: on a 360×640 rugged handheld and a 412×915 phone, on
// every scanning screen (receive, put away, pick, returns, pack), a scan that succeeds, one that is
// refused and a double read that is counted once each leave their message and the next prompt
// inside the visible viewport, below the sticky header — the page scrolled by the screen, not by
// the worker. Screenshots of each kept in test-results/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS } from '../../src/scanner/wedge';
import { keepScreenshot, launchChromium, startDockhand, statusText, type RunningApp } from './harness';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
  await pickFirstListOverHttp();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The first open pick list's order numbers, picked whole by another device so they can be packed. */
let packable: string[] = [];
async function pickFirstListOverHttp(): Promise<void> {
  const { rows: lines } = await app.db.query<{ id: string; location_id: string; product_id: string; qty: number; number: string }>(
    `select p.id, p.location_id, p.product_id, p.qty, o.number from pick_lines p join orders o on o.id = p.order_id
     where p.pick_list_id = (select id from pick_lists where status = 'open' order by number desc limit 1) order by p.walk_seq, p.id`,
  );
  const session = await fetch(`${app.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', pin: '1111', deviceId: 'e2e-view-picker' }) });
  const { token } = (await session.json()) as { token: string };
  const mutations = lines.map((line, i) => ({
    id: crypto.randomUUID(), seq: i + 1, type: 'pick', version: 1, clientTime: new Date().toISOString(),
    args: { pickLineId: line.id, locationId: line.location_id, productId: line.product_id, lot: null, qty: line.qty },
  }));
  const pushed = await fetch(`${app.url}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ mutations }) });
  expect(pushed.status).toBe(200);
  packable = [...new Set(lines.map((line) => line.number))];
}

/** Types a scan into the Scan field as a wedge does, and waits past the double-read window. */
async function scan(page: Page, text: string, { pause = true } = {}): Promise<void> {
  const field = page.getByLabel('Scan', { exact: true });
  await field.pressSequentially(text);
  await field.press('Enter');
  if (pause) await page.waitForTimeout(DUPLICATE_WINDOW_MS + 50);
}

/** Where the newest message and the prompt are, against the header and the visible viewport. */
async function placement(page: Page, tone: 'success' | 'error' | 'warning' | 'info') {
  const message = page.locator(`.floor-message-${tone}`).last();
  await message.waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
    const shown = await page.locator('.floor-message').evaluateAll((found) => found.map((el) => `${el.className}: ${el.textContent}`));
    throw new Error(`No ${tone} message; the screen shows ${JSON.stringify(shown)}`, { cause: error });
  });
  return page.evaluate(() => {
    const box = (selector: string) => {
      const found = [...document.querySelectorAll(selector)].at(-1);
      const rect = found?.getBoundingClientRect();
      return rect ? { top: rect.top, bottom: rect.bottom } : null;
    };
    const viewport = window.visualViewport;
    return {
      header: document.querySelector('.app-header')!.getBoundingClientRect().bottom,
      bottom: viewport ? viewport.offsetTop + viewport.height : window.innerHeight,
      message: box('.floor-message'),
      prompt: box('.scan-layout .scan-prompt'),
      field: box('input[name="scan"]'),
    };
  });
}

async function expectInView(page: Page, tone: 'success' | 'error' | 'warning' | 'info', what: string): Promise<void> {
  const seen = await placement(page, tone);
  for (const part of ['message', 'prompt', 'field'] as const) {
    const box = seen[part];
    expect(box, `${what}: ${part}`).not.toBeNull();
    expect(box!.top, `${what}: ${part} under the header (${JSON.stringify(seen)})`).toBeGreaterThanOrEqual(seen.header - 0.5);
    expect(box!.bottom, `${what}: ${part} below the screen (${JSON.stringify(seen)})`).toBeLessThanOrEqual(seen.bottom + 0.5);
  }
}

/** A success, a refusal and a double read on the screen at hand. */
async function threeScans(page: Page, name: string, scans: { success: string; successTone?: 'success' | 'info'; refused: string; twice: string }): Promise<void> {
  await scan(page, scans.success);
  await expectInView(page, scans.successTone ?? 'success', `${name} success`);
  await scan(page, scans.refused);
  await expectInView(page, 'error', `${name} refusal`);
  // What the worker sees, not the whole page.
  await keepScreenshot(page, `in-view-${name}-refused-${page.viewportSize()!.width}`, { fullPage: false });
  await scan(page, scans.twice, { pause: false });
  await scan(page, scans.twice);
  await expectInView(page, 'warning', `${name} double read`);
  expect(await page.locator('.floor-message-warning').last().innerText()).toContain('counted once');
}

for (const viewport of [{ width: 360, height: 640 }, { width: 412, height: 915 }]) {
  describe(`scan answers in view at ${viewport.width}×${viewport.height}`, () => {
    let page: Page;
    beforeAll(async () => {
      const context = await browser.newContext({ viewport, hasTouch: true, isMobile: true });
      page = await context.newPage();
      await page.goto(app.url);
      await page.getByLabel('Username').fill('operator');
      await page.getByLabel('PIN').fill('1111');
      await page.getByRole('button', { name: 'Sign in' }).click();
      for (let waited = 0; !(await statusText(page)).includes('All synced'); waited += 250) {
        if (waited > 30_000) throw new Error(`Never synced: ${await statusText(page)}`);
        await page.waitForTimeout(250);
      }
    }, 60_000);
    afterAll(async () => page?.context().close());

    it('on Receive', async () => {
      await page.goto(`${app.url}/receive`);
      await page.getByRole('link', { name: 'PO-7781' }).click();
      await page.getByLabel('Scan', { exact: true }).waitFor();
      await threeScans(page, 'receive', { success: 'HBO-TNT-2P', refused: 'NWC-MUG-ENM', twice: 'HBO-HLP-350' });
    });

    it('on Put away', async () => {
      await page.goto(`${app.url}/putaway`);
      await page.getByLabel('Scan', { exact: true }).waitFor();
      await threeScans(page, 'putaway', { success: 'NWC-TIN-500', refused: 'NO-SUCH-CODE-1', twice: 'NO-SUCH-CODE-2' });
    });

    it('on Pick', async () => {
      await page.goto(`${app.url}/pick`);
      await page.locator('a[href^="/pick/"]').first().click();
      const bin = await page.getByRole('region', { name: 'Current line' }).locator('.pick-line-bin-code').innerText();
      await threeScans(page, 'pick', { success: bin, refused: 'NO-SUCH-BIN', twice: 'NO-SUCH-CODE-3' });
    });

    it('on Returns', async () => {
      await page.goto(`${app.url}/returns`);
      await page.getByRole('link', { name: 'RMA-HBO-0042' }).click();
      await page.getByLabel('Scan', { exact: true }).waitFor();
      // The return authorises one of each: each viewport receives its own.
      await threeScans(page, 'returns', { success: viewport.width === 360 ? 'HBO-JKT-M' : 'HBO-BTL-750', refused: 'NWC-MUG-ENM', twice: 'NO-SUCH-CODE-4' });
    });

    it('on Pack', async () => {
      await page.goto(`${app.url}/pack`);
      await page.getByLabel('Scan', { exact: true }).waitFor();
      await threeScans(page, 'pack', { success: packable[viewport.width === 360 ? 0 : 1]!, refused: 'NO-SUCH-CODE-5', twice: 'NO-SUCH-CODE-6' });
    });
  });
}
