// Headless Chromium (Debian's package) driven by playwright-core: open a local file with every
// request and console error recorded. The page must make no request but the file itself.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.JITAUDIT_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = () => existsSync(CHROMIUM);

export interface Opened {
  page: Page;
  url: string;
  /** Every request the page made (the file itself included). */
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

export interface BrowserSession {
  open(file: string, options?: { javaScript?: boolean; colorScheme?: 'light' | 'dark'; width?: number }): Promise<Opened>;
  close(): Promise<void>;
}

export async function launch(): Promise<BrowserSession> {
  // playwright's launch() gives the browser a fresh temporary profile (--user-data-dir) of its own
  // and removes it on close; it refuses the flag itself.
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    async open(file, options = {}) {
      const context = await browser.newContext({
        javaScriptEnabled: options.javaScript ?? true,
        colorScheme: options.colorScheme ?? 'light',
        viewport: { width: options.width ?? 1360, height: 900 },
      });
      const page = await context.newPage();
      const opened: Opened = { page, url: pathToFileURL(file).href, requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
      page.on('request', (r) => opened.requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => opened.pageErrors.push(e.message));
      page.on('dialog', (d) => {
        opened.dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(opened.url, { waitUntil: 'load' });
      return opened;
    },
    async close() {
      await browser.close();
    },
  };
}
