/**
 * What a person feels, measured in the real page (headless Chromium):
 *
 * - render time: from the moment the `getAllParameters` reply reaches the
 *   page to the moment the panel's controls are in the DOM (and to the end
 *   of the next frame), taken by a script installed before every navigation;
 * - drag scripting per frame: Chromium's own count of JavaScript time
 *   (`Performance.getMetrics` → ScriptDuration) across one pointer move and
 *   the frame after it, against the same count across the same move with no
 *   button down (the page's baseline: input plumbing, meters, timers)
 *   measured in the same run. The
 *   mouse is driven with raw `Input.dispatchMouseEvent`, as a person's mouse
 *   reaches the page: Playwright's `page.mouse` runs its own drag-detection
 *   script in the page on every move with a button down, which would be
 *   counted as the page's.
 *
 * Both in the page `wavecraft start` serves (React's development build) and
 * in the production build a plugin window loads (`serveBuilt`).
 *
 * Only figures: nothing here asserts a time.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Installs the render clock in `page` (every navigation from now on): it notes
 * when the first WebSocket message from `wsUrl` holding a parameter list
 * arrives, when controls matching `controls` first appear after it (the
 * panel commits them all at once), how many there are, and when the frame
 * after that is done.
 */
export async function installRenderClock(page, wsUrl, controls) {
  await page.addInitScript(
    ([prefix, selector]) => {
      const clock = { arrived: null, shown: null, count: 0, framed: null };
      window.__renderClock = clock;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url, protocols) {
          super(url, protocols);
          if (!String(url).startsWith(prefix)) return;
          // Added before the page's own listener, so it runs first.
          this.addEventListener("message", (event) => {
            if (clock.arrived === null && typeof event.data === "string" && event.data.includes('"parameters":[')) {
              clock.arrived = performance.now();
            }
          });
        }
      };
      new MutationObserver(() => {
        if (clock.arrived === null || clock.shown !== null) return;
        const count = document.querySelectorAll(selector).length;
        if (count === 0) return;
        clock.shown = performance.now();
        clock.count = count;
        requestAnimationFrame(() => setTimeout(() => (clock.framed = performance.now())));
      }).observe(document, { childList: true, subtree: true });
    },
    [wsUrl, controls],
  );
}

/** Waits for the render clock of the current document to finish; returns its times (ms) and the count. */
export async function readRenderClock(page) {
  const clock = await page.waitForFunction(() => window.__renderClock?.framed != null && window.__renderClock, null, {
    timeout: 120_000,
  });
  const { arrived, shown, count, framed } = await clock.jsonValue();
  return { render: shown - arrived, toNextFrame: framed - arrived, count };
}

/** JavaScript time so far in the page (ms), as Chromium counts it. */
async function scriptMs(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return metrics.find((metric) => metric.name === "ScriptDuration").value * 1000;
}

/** Resolves after the page's next animation frame. */
const nextFrame = (page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));

/**
 * Moves the pointer over `slider` (a locator) back and forth, one move per
 * frame for `frames` frames, first with no button down (the baseline), then
 * dragging, and measures the page's JavaScript time per move and frame.
 * Returns both lists (ms) and the value the slider shows at the end.
 */
export async function measureDrag(page, slider, frames) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2;
  const xAt = (n) => box.x + box.width * (0.2 + 0.6 * Math.abs(((n / 25) % 2) - 1));
  const mouse = (type, x, buttons) =>
    cdp.send("Input.dispatchMouseEvent", { type, x, y, button: "left", buttons, clickCount: type === "mouseMoved" ? 0 : 1 });
  const moves = async (buttons) => {
    const costs = [];
    for (let n = 1; n <= frames; n += 1) {
      const before = await scriptMs(cdp);
      await mouse("mouseMoved", xAt(n), buttons);
      await nextFrame(page);
      costs.push((await scriptMs(cdp)) - before);
    }
    return costs;
  };
  await mouse("mouseMoved", xAt(0), 0);
  const idle = await moves(0);
  await mouse("mouseMoved", xAt(0), 0);
  await mouse("mousePressed", xAt(0), 1);
  const drag = await moves(1);
  await mouse("mouseReleased", xAt(frames), 0);
  await cdp.detach();
  return { drag, idle, shown: Number(await slider.getAttribute("aria-valuenow")) };
}

/** Content types of what `vite build` writes. */
const CONTENT_TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

/**
 * Chromium flags for a browser whose pages are served by `serveBuilt`: a
 * response made by a Playwright route has no network address behind it, so
 * Chromium's Local Network Access checks take the page for a public one and
 * block its WebSocket to 127.0.0.1 (a page from Vite, or a plugin window's
 * page, is local and never hits this).
 */
export const SERVE_BUILT_FLAGS = ["--disable-features=LocalNetworkAccessChecks"];

/**
 * Serves `dir` (a `vite build` output) to `page` at `origin`, through a
 * Playwright route: the page keeps the dev UI's origin, so the dev server's
 * WebSocket accepts it, while it runs the production build a plugin window
 * would load. Its browser needs SERVE_BUILT_FLAGS.
 */
export async function serveBuilt(page, origin, dir) {
  await page.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(dir, path === "/" ? "index.html" : path);
    if (!file.startsWith(dir) || !existsSync(file)) return route.fulfill({ status: 404, body: "not built" });
    await route.fulfill({ body: readFileSync(file), contentType: CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
  });
}
