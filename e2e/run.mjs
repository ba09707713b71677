/**
 * End-to-end: a new user's first minutes, driven through a real headless
 * Chromium (playwright-core with the system's chromium, no browser download).
 *
 * wavecraft create → wavecraft start (virtual audio) → parameters, and a
 * meter readout that follows the engine's output gain → drag a slider, the
 * engine follows → a knob: dragged, wheeled, a value typed ("1k"), a text it
 * cannot read refused with a message, reset with Delete; the engine follows
 * each → edit the UI's App.tsx: the change is hot-replaced with the
 * page, its React state and its WebSocket kept → add a parameter in the
 * engine source, its control appears with no reload and no reconnect, the
 * dragged value is kept → a compile error shows file:line while the old
 * engine keeps playing → fixed, the overlay goes → the server stops, the UI
 * says so → the server starts again, the UI reconnects by itself, in the same
 * page (Vite's client, which reloads a page when its own server comes back,
 * is kept from seeing the restart) → the same project with 1,000 generated
 * parameters: start builds and serves it, the page shows every control, a
 * slider drag there sends at most one value per frame, and the page is
 * measured, as served by start and as the production build a plugin window
 * loads (prints getAllParameters round trips, the page's render time and
 * its JavaScript time per drag frame, each with a baseline from the same
 * run; see measure.mjs).
 *
 * Steps run in order and stop at the first failure; each one is timed and
 * screenshotted to e2e/artifacts/<n>-<step>.png. The server runs in its own
 * process group, which is always killed at the end.
 *
 * Env: WAVECRAFT_BIN (default ../target/debug/wavecraft), CHROMIUM (default
 * /usr/bin/chromium), E2E_KEEP=1 keeps the temp project.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import WebSocket from "ws";
import { SERVE_BUILT_FLAGS, installRenderClock, measureDrag, median, readRenderClock, serveBuilt } from "./measure.mjs";

const here = import.meta.dirname;
const repo = resolve(here, "..");
const bin = process.env.WAVECRAFT_BIN ?? join(repo, "target/debug/wavecraft");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const artifacts = join(here, "artifacts");

const MINUTE = 60_000;

/** A free TCP port on 127.0.0.1 (bound, read, released). */
function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** An error that ends `until` at once instead of being retried. */
class Fatal extends Error {}

/**
 * Polls `check` until it returns a truthy value; throws `what` on timeout.
 * An error `check` throws is retried (the page may be mid-render), unless it
 * is a Fatal.
 */
async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (error instanceof Fatal) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ""}`);
    }
    await sleep(200);
  }
}

/** Headless Chromium with the suite's flags, and `extra`. */
function launchBrowser(extra = []) {
  return chromium.launch({
    executablePath: browserPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extra,
    ],
  });
}

/** Runs `program args` in `cwd` (with `env` added) to completion; resolves with its output. */
function runIn(cwd, program, args, env = {}) {
  return new Promise((ok, fail) => {
    const child = spawn(program, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? ok(output) : fail(new Error(`${program} ${args.join(" ")} exited ${code}:\n${output}`))));
  });
}

/** Runs the CLI to completion. */
const runCli = (args) => runIn(undefined, bin, args);

/** `wavecraft start` in its own process group, its output kept with timestamps. */
class DevServer {
  constructor(project, port, uiPort) {
    this.log = [];
    this.child = spawn(bin, ["start", project, "--no-open", "--audio", "virtual", "--port", String(port), "--ui-port", String(uiPort)], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.exited = new Promise((ok) => this.child.on("exit", (code, signal) => ok({ code, signal })));
    // Lines are timestamped when complete; colour codes are dropped.
    const keeper = () => {
      let partial = "";
      return (chunk) => {
        const lines = (partial + String(chunk)).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").split(/\r?\n|\r/);
        partial = lines.pop();
        for (const line of lines) if (line.trim()) this.log.push({ at: Date.now(), line });
      };
    };
    this.child.stdout.on("data", keeper());
    this.child.stderr.on("data", keeper());
  }

  /** The time the first line matching `pattern` was printed, once it is. */
  async printed(pattern, timeoutMs) {
    return until(
      `the dev server to print ${pattern}`,
      () => {
        const exited = this.child.exitCode !== null || this.child.signalCode !== null;
        if (exited) throw new Fatal(`the dev server exited (${this.child.signalCode ?? `code ${this.child.exitCode}`})`);
        return this.log.find((entry) => pattern.test(entry.line))?.at;
      },
      timeoutMs,
    ).catch((error) => {
      throw new Error(`${error.message}\n--- dev server output ---\n${this.tail()}`);
    });
  }

  tail(lines = 40) {
    return this.log.slice(-lines).map((entry) => entry.line).join("\n");
  }

  /**
   * SIGINT to the whole group (what Ctrl-C does), SIGKILL if it lingers.
   * A server that died by itself (a crash) leaves its children (Vite) in
   * the group: they are killed too.
   */
  async stop() {
    const signal = (name) => {
      try {
        process.kill(-this.child.pid, name);
        return true;
      } catch {
        return false; // nobody left in the group
      }
    };
    const leaderGone = this.child.exitCode !== null || this.child.signalCode !== null;
    if (leaderGone) {
      signal("SIGKILL");
      return;
    }
    if (!signal("SIGINT")) return;
    const done = await Promise.race([this.exited, sleep(15_000).then(() => null)]);
    if (done === null) {
      signal("SIGKILL");
      await this.exited;
    }
  }
}

/** A JSON-RPC client on the dev server's WebSocket (no Origin header, like a tool). */
class RpcClient {
  static async connect(url) {
    const socket = new WebSocket(url);
    await new Promise((ok, fail) => {
      socket.once("open", ok);
      socket.once("error", fail);
    });
    return new RpcClient(socket);
  }

  constructor(socket) {
    this.socket = socket;
    this.nextId = 1;
    this.pending = new Map();
    this.notifications = [];
    socket.on("message", (data) => {
      const message = JSON.parse(String(data));
      if (message.id !== undefined && this.pending.has(message.id)) {
        this.pending.get(message.id)(message);
        this.pending.delete(message.id);
      } else if (message.method) {
        this.notifications.push({ at: Date.now(), method: message.method, params: message.params });
      }
    });
  }

  async call(method, params) {
    const id = this.nextId++;
    const reply = new Promise((ok) => this.pending.set(id, ok));
    this.socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    const message = await Promise.race([reply, sleep(5_000).then(() => ({ error: { message: "no reply in 5 s" } }))]);
    if (message.error) throw new Error(`${method}: ${message.error.message}`);
    return message.result;
  }

  count(method, since) {
    return this.notifications.filter((n) => n.method === method && n.at >= since).length;
  }

  close() {
    this.socket.close();
  }
}

const CONNECTION_LABELS = /^(Connected|Connecting…|Disconnected, retrying…)$/;

/** The ConnectionStatus badge: the live region whose text is one of its labels. */
const connectionBadge = (page) => page.getByRole("status").filter({ hasText: /Connected|Connecting|Disconnected/ });

/** Both channels' peak and RMS readouts of the output meter, as text. */
const meterText = (page) => page.getByRole("group", { name: "Output level" }).innerText();

/** The first channel's peak readout in dB (−Infinity for "-∞ dB", NaN when there is none). */
const meterPeakDb = (text) => {
  const match = /Peak\s*(-?\d+(?:\.\d+)?|-∞) dB/.exec(text);
  if (!match) return Number.NaN;
  return match[1] === "-∞" ? Number.NEGATIVE_INFINITY : Number(match[1]);
};

/**
 * Proves the page's meter shows the running engine's output: drops
 * output_gain by 20 dB through the WebSocket, waits for the page's peak
 * readout to fall by more than 15 dB, restores 0 dB and waits for it to come
 * back. Returns the readouts seen.
 */
async function meterFollowsOutputGain(page, rpc) {
  const before = await until("a live meter reading", async () => {
    const db = meterPeakDb(await meterText(page));
    return Number.isFinite(db) && { db };
  }, 20_000);
  await rpc.call("setParameter", { id: "output_gain", value: -20 });
  const lowered = await until(`the page's peak readout to fall below ${before.db - 15} dB`, async () => {
    const db = meterPeakDb(await meterText(page));
    return db < before.db - 15 && { db };
  }, 10_000);
  await rpc.call("setParameter", { id: "output_gain", value: 0 });
  const restored = await until(`the page's peak readout to return to ${before.db} dB`, async () => {
    const db = meterPeakDb(await meterText(page));
    return Math.abs(db - before.db) < 1 && { db };
  }, 10_000);
  return `${before.db} → ${lowered.db} → ${restored.db} dB`;
}

/**
 * Marks the page so a reload shows: `window.__marker` (gone after a reload)
 * and `window.__connection`, every label the connection badge shows from now on.
 */
async function markPage(page) {
  await page.evaluate((labels) => {
    const pattern = new RegExp(labels);
    window.__marker = 1;
    window.__connection = [];
    const record = () => {
      for (const el of document.querySelectorAll("[role=status]")) {
        const text = el.textContent.trim();
        if (pattern.test(text) && window.__connection.at(-1) !== text) window.__connection.push(text);
      }
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, CONNECTION_LABELS.source);
}

/** Throws unless the page kept `window.__marker` and its badge stayed "Connected". */
async function expectNoReload(page, during) {
  const marker = await page.evaluate(() => window.__marker);
  if (marker !== 1) throw new Error(`the page reloaded ${during} (window.__marker is gone)`);
  const history = await page.evaluate(() => window.__connection);
  if (history.some((text) => text !== "Connected")) {
    throw new Error(`the connection dropped ${during}: ${history.join(" → ")}`);
  }
  return history;
}

/**
 * Keeps Vite's client in `page` from reloading the page when Vite's server
 * goes away and comes back (it polls the server, then calls
 * `location.reload()`): its HMR socket to `uiOrigin` is routed through
 * Playwright, forwarded both ways while the server lives, and when the
 * server closes it the page's side is left open. So a restart of
 * `wavecraft start` (which restarts Vite too) tests the UI's own WebSocket
 * reconnect, and `window.__marker` can prove the page was not reloaded.
 * Returns the count of server-side closes the page was spared.
 */
async function holdViteChannel(page, uiOrigin) {
  const held = { closes: 0 };
  await page.routeWebSocket(
    (url) => url.origin === uiOrigin.replace(/^http/, "ws"),
    (route) => {
      const server = route.connectToServer();
      server.onClose(() => {
        held.closes += 1;
      });
    },
  );
  return held;
}

/**
 * Every WebSocket the page opens to the dev server, seen from the browser's
 * side (Playwright's network events), so a reconnect shows even when the
 * page's own state is lost.
 */
function watchSockets(page, wsUrl) {
  const sockets = [];
  page.on("websocket", (ws) => {
    if (!ws.url().startsWith(wsUrl)) return;
    const entry = { url: ws.url(), opened: Date.now(), closed: null, sent: [] };
    ws.on("close", () => (entry.closed = Date.now()));
    ws.on("framesent", ({ payload }) => {
      const frame = JSON.parse(String(payload));
      entry.sent.push({ method: frame.method, params: frame.params });
    });
    sockets.push(entry);
  });
  return sockets;
}

/** Throws unless the page's one open dev-server socket is `open` and no other was opened. */
function expectSameSocket(sockets, open, during) {
  const now = sockets.filter((s) => s.closed === null);
  if (sockets.length !== open.count || now.length !== 1 || now[0] !== open.socket) {
    throw new Error(
      `the page's WebSocket to the dev server did not stay the same ${during}: ` +
        `${sockets.length - open.count} more opened, the old one ${open.socket.closed === null ? "not seen closing" : "closed"}`,
    );
  }
}

/** The page's one open dev-server socket now, and how many it has opened so far. */
function openSocket(sockets) {
  const open = sockets.filter((s) => s.closed === null);
  if (open.length !== 1) throw new Error(`expected one open WebSocket to the dev server, found ${open.length}`);
  return { socket: open[0], count: sockets.length };
}

/** The UI edit: one line of markup added to the created project's App.tsx. */
const UI_EDIT_TEXT = "Edited by the e2e test";

function editApp(source) {
  const anchor = "      <BuildStatusOverlay />\n";
  if (!source.includes(anchor)) {
    throw new Error("the template's App.tsx no longer has the anchor this test edits: update e2e/run.mjs");
  }
  return source.replace(anchor, `      <p className="app__e2e">${UI_EDIT_TEXT}</p>\n${anchor}`);
}

/** How many parameters the large-plugin step adds. */
const BULK_COUNT = 1_000;

/** Page loads whose render time gives the median, drag frames measured, pointer moves in the burst. */
const RENDER_LOADS = 5;
const DRAG_FRAMES = 60;
const BURST_MOVES = 40;

/**
 * Loads the page RENDER_LOADS times (the first load is the current one) and
 * returns the medians of the render clock; every load must show all
 * `expected` controls in its first commit.
 */
async function renderMedians(page, expected) {
  const renders = [await readRenderClock(page)];
  while (renders.length < RENDER_LOADS) {
    await page.reload();
    renders.push(await readRenderClock(page));
  }
  const partial = renders.find((render) => render.count !== expected);
  if (partial) throw new Error(`the panel first showed ${partial.count} controls, not all ${expected} at once`);
  return {
    render: median(renders.map((render) => render.render)),
    toNextFrame: median(renders.map((render) => render.toNextFrame)),
  };
}

/**
 * Drags the middle generated parameter's slider (see measureDrag) and checks
 * the engine ends at the value the slider shows; returns the medians (ms) of
 * JavaScript per frame while dragging and while idle.
 */
async function dragMedians(page, rpc) {
  const id = bulkId(BULK_COUNT / 2);
  const slider = page.getByRole("slider", { name: bulkName(BULK_COUNT / 2), exact: true });
  await slider.scrollIntoViewIfNeeded();
  const { drag, idle, shown } = await measureDrag(page, slider, DRAG_FRAMES);
  await until(
    `the engine's ${id} to end where the drag left the slider (${shown})`,
    async () => Math.abs((await rpc.call("getParameter", { id })).value - shown) < 1e-9,
    5_000,
  );
  return { drag: median(drag), idle: median(idle) };
}

/** One line of drag figures. */
const dragLine = ({ drag, idle }) =>
  `JavaScript per frame, median over ${DRAG_FRAMES} frames: dragging ${drag.toFixed(2)} ms, ` +
  `the same moves with no button down (baseline) ${idle.toFixed(2)} ms: the drag costs ${(drag - idle).toFixed(2)} ms per frame`;

/** The id and name of the n-th generated parameter (from 1). */
const bulkId = (n) => `bulk_${String(n).padStart(4, "0")}`;
const bulkName = (n) => `Bulk ${n}`;

/**
 * `source` with BULK_COUNT float parameters generated into the params struct
 * (fields and their Default initialisers), in groups of 100 as a big synth
 * would have them.
 */
function addBulkParameters(source) {
  const fieldAnchor = "    pub e2e_width: FloatParam,\n}\n";
  const initAnchor = '                .group("Output"),\n        }\n    }\n}\n';
  if (!source.includes(fieldAnchor) || !source.includes(initAnchor)) {
    throw new Error("lib.rs has no e2e_width parameter to add the bulk after: update e2e/run.mjs");
  }
  const fields = [];
  const inits = [];
  for (let n = 1; n <= BULK_COUNT; n += 1) {
    const id = bulkId(n);
    fields.push(`    /// Generated by the e2e test.\n    pub ${id}: FloatParam,\n`);
    inits.push(
      `            ${id}: FloatParam::new("${id}", "${bulkName(n)}", FloatRange::linear(0.0, 1.0), 0.5)` +
        `.group("Bank ${Math.ceil(n / 100)}"),\n`,
    );
  }
  return source
    .replace(fieldAnchor, `    pub e2e_width: FloatParam,\n${fields.join("")}}\n`)
    .replace(initAnchor, `                .group("Output"),\n${inits.join("")}        }\n    }\n}\n`);
}

/** Every control in the parameter panel: sliders, selects and switches. */
const CONTROLS = 'section[aria-label="Parameters"] :is([role=slider], select, [role=switch])';

/** The new parameter the edit step adds, inserted after the last field. */
const NEW_FIELD = "    /// Added by the e2e test.\n    pub e2e_width: FloatParam,\n";
const NEW_INIT =
  '            e2e_width: FloatParam::new("e2e_width", "Width", FloatRange::linear(0.0, 100.0), 50.0)\n' +
  '                .unit("%")\n' +
  '                .group("Output"),\n';

function addParameter(source) {
  const fieldAnchor = "    pub output_gain: FloatParam,\n}\n";
  const initAnchor = "            .smoothing(gain_smoothing),\n        }\n    }\n}\n";
  if (!source.includes(fieldAnchor) || !source.includes(initAnchor)) {
    throw new Error("the template's lib.rs no longer has the anchors this test edits: update e2e/run.mjs");
  }
  return source
    .replace(fieldAnchor, `    pub output_gain: FloatParam,\n${NEW_FIELD}}\n`)
    .replace(initAnchor, `            .smoothing(gain_smoothing),\n${NEW_INIT}        }\n    }\n}\n`);
}

async function main() {
  for (const [what, path] of [
    ["the wavecraft binary (cargo build -p wavecraft-cli)", bin],
    ["chromium (apt-get install chromium)", browserPath],
  ]) {
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}`);
  }
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  const work = mkdtempSync(join(tmpdir(), "wavecraft-e2e-"));
  const project = join(work, "e2e-probe");
  const port = await freePort();
  const uiPort = await freePort();
  const uiUrl = `http://127.0.0.1:${uiPort}/`;
  const wsUrl = `ws://127.0.0.1:${port}/ws`;
  const libRs = join(project, "engine/src/lib.rs");
  const appTsx = join(project, "ui/src/App.tsx");
  const parameterTypes = join(project, "ui/src/generated/parameters.ts");
  const times = {};
  const screenshots = [];
  let server;
  let browser;
  let rpc;
  let page;
  let sockets = [];
  let builtBrowser;
  let viteChannel;
  let smallRender;
  let stepNo = 0;

  /** Runs one step: timed, printed, screenshotted (also when it fails). */
  const step = async (name, body) => {
    stepNo += 1;
    const started = Date.now();
    process.stdout.write(`▶ ${stepNo}. ${name}\n`);
    let failure;
    try {
      await body();
    } catch (error) {
      failure = error;
    }
    const ms = Date.now() - started;
    if (page) {
      const file = join(artifacts, `${String(stepNo).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true });
        screenshots.push(file);
      } catch {
        /* a page that is gone has no picture */
      }
    }
    if (failure) {
      process.stdout.write(`✗ ${stepNo}. ${name} (${ms} ms)\n`);
      throw failure;
    }
    process.stdout.write(`✓ ${stepNo}. ${name} (${ms} ms)\n`);
    return ms;
  };

  try {
    await step("create", async () => {
      const started = Date.now();
      await runCli(["create", "E2E Probe", "--output", project]);
      times.create = Date.now() - started;
      if (!existsSync(libRs)) throw new Error(`create wrote no ${libRs}`);
    });

    await step("start and first build", async () => {
      const started = Date.now();
      server = new DevServer(project, port, uiPort);
      const ready = await server.printed(/running after \d+ ms/, 10 * MINUTE);
      times.firstBuild = ready - started;
      await until("the UI's dev server to answer", async () => (await fetch(uiUrl)).ok, MINUTE);
    });

    await step("first page load", async () => {
      browser = await launchBrowser();
      const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
      page = await context.newPage();
      sockets = watchSockets(page, wsUrl);
      viteChannel = await holdViteChannel(page, uiUrl.slice(0, -1));
      await installRenderClock(page, wsUrl, CONTROLS);
      const started = Date.now();
      await page.goto(uiUrl);
      await connectionBadge(page).filter({ hasText: /^Connected$/ }).waitFor({ timeout: MINUTE });
      await page.getByRole("slider", { name: "Input" }).waitFor({ timeout: MINUTE });
      times.firstPageLoad = Date.now() - started;
      smallRender = await readRenderClock(page);
      console.log(
        `  ${smallRender.count} controls rendered ${smallRender.render.toFixed(1)} ms after the parameter list arrived ` +
          `(${smallRender.toNextFrame.toFixed(1)} ms to the end of the next frame)`,
      );
    });

    await step("parameters and a meter that follows the audio", async () => {
      for (const name of ["Input", "Cutoff", "Resonance", "Drive", "Output"]) {
        await page.getByRole("slider", { name }).waitFor({ timeout: 10_000 });
      }
      rpc = await RpcClient.connect(wsUrl);
      const since = Date.now();
      await sleep(1_000);
      const frames = rpc.count("meterUpdate", since);
      if (frames < 10) throw new Error(`only ${frames} meterUpdate frames in 1 s`);
      const readouts = await meterFollowsOutputGain(page, rpc);
      console.log(`  page peak readout with output_gain 0 → −20 → 0 dB: ${readouts} (${frames} meterUpdate frames/s pushed)`);
    });

    let dragged;
    await step("drag a slider", async () => {
      const slider = page.getByRole("slider", { name: "Input" });
      const box = await slider.boundingBox();
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.8, y, { steps: 8 });
      await page.mouse.up();
      dragged = Number(await slider.getAttribute("aria-valuenow"));
      if (!(dragged > 5)) throw new Error(`dragging Input to 80% gave ${dragged} dB`);
      const engine = await until(
        "the engine's input_gain to follow the slider",
        async () => {
          const info = await rpc.call("getParameter", { id: "input_gain" });
          return Math.abs(info.value - dragged) < 1e-3 && info;
        },
        5_000,
      );
      console.log(`  slider Input → ${dragged} dB; engine getParameter(input_gain) = ${engine.value}`);
    });

    await step("turn a knob, type a value, reset it", async () => {
      const knob = page.getByRole("slider", { name: "Cutoff" });
      const engineCutoff = async () => (await rpc.call("getParameter", { id: "cutoff" })).value;
      /** Waits for the engine to hold what the knob shows; returns it. */
      const engineFollows = async (what) => {
        const shown = Number(await knob.getAttribute("aria-valuenow"));
        await until(`the engine's cutoff to follow the knob (${what})`, async () => Math.abs((await engineCutoff()) - shown) < 1e-6, 5_000);
        return shown;
      };
      const { default: defaultCutoff } = await rpc.call("getParameter", { id: "cutoff" });

      await knob.focus();
      await page.keyboard.press("Enter");
      const box = page.getByRole("textbox", { name: "Cutoff value" });
      await box.fill("1k");
      await box.press("Enter");
      const typed = await engineFollows("typed 1k");
      if (typed !== 1000) throw new Error(`typing "1k" into Cutoff gave ${typed}`);

      const dial = await knob.boundingBox();
      const [x, y] = [dial.x + dial.width / 2, dial.y + dial.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y - 40, { steps: 5 });
      await page.mouse.up();
      const dragged = await engineFollows("dragged up 40 px");
      if (!(dragged > typed)) throw new Error(`dragging Cutoff up gave ${dragged} Hz, from ${typed} Hz`);

      await page.mouse.move(x, y);
      await page.mouse.wheel(0, 100);
      await until("the knob to turn down on the wheel", async () => Number(await knob.getAttribute("aria-valuenow")) < dragged, 5_000);
      const wheeled = await engineFollows("one wheel notch down");

      await knob.focus();
      await page.keyboard.press("Enter");
      await box.fill("loud");
      await box.press("Enter");
      const refusal = await page.getByRole("alert").filter({ hasText: /is not a value of Cutoff/ }).textContent({ timeout: 5_000 });
      await page.keyboard.press("Escape");
      await box.waitFor({ state: "detached", timeout: 5_000 });
      if ((await engineCutoff()) !== wheeled) throw new Error("a refused text changed the engine's cutoff");

      await knob.press("Delete");
      const reset = await engineFollows("Delete resets");
      if (reset !== defaultCutoff) throw new Error(`Delete reset Cutoff to ${reset} Hz, not its default ${defaultCutoff} Hz`);
      console.log(
        `  knob Cutoff: typed 1k → ${typed} Hz, dragged → ${dragged.toFixed(1)} Hz, wheeled → ${wheeled.toFixed(1)} Hz, ` +
          `"loud" refused (${refusal}), Delete → ${reset} Hz; the engine followed each`,
      );
    });

    await step("edit the UI: hot-replaced, page state and socket kept", async () => {
      // React state to keep: the meter's clip latch (useState in Meter). The
      // output at +12 dB clips (the sine is at −12 dBFS, Input is raised);
      // then at −30 dB nothing clips any more, so only the latch keeps it
      // lit, and a reloaded page would show it off.
      const clip = page.getByRole("button", { name: "Channel 1 clipped, click to reset" });
      await rpc.call("setParameter", { id: "output_gain", value: 12 });
      await clip.waitFor({ timeout: 10_000 });
      await rpc.call("setParameter", { id: "output_gain", value: -30 });
      await until("the peak readout to fall below −6 dBFS", async () => meterPeakDb(await meterText(page)) < -6, 10_000);
      await markPage(page);
      const socket = openSocket(sockets);
      const saved = Date.now();
      writeFileSync(appTsx, editApp(readFileSync(appTsx, "utf8")));
      await page.getByText(UI_EDIT_TEXT).waitFor({ timeout: MINUTE });
      times.uiEdit = Date.now() - saved;
      const history = await expectNoReload(page, "on a UI edit");
      expectSameSocket(sockets, socket, "on a UI edit");
      if (!(await clip.isVisible())) throw new Error("the meter's clip latch (React state) was lost on a UI edit");
      await rpc.call("setParameter", { id: "output_gain", value: 0 });
      console.log(`  the edit showed ${times.uiEdit} ms after the save; no reload, same WebSocket, clip latch kept, connection ${history.join(" → ")}`);
    });

    await step("add a parameter in the engine source", async () => {
      await markPage(page);
      const socket = openSocket(sockets);
      const saved = Date.now();
      writeFileSync(libRs, addParameter(readFileSync(libRs, "utf8")));
      await page.getByRole("slider", { name: "Width" }).waitFor({ timeout: 5 * MINUTE });
      times.saveToNewControl = Date.now() - saved;
      const history = await expectNoReload(page, "during the hot reload");
      expectSameSocket(sockets, socket, "during the hot reload");
      const kept = Number(await page.getByRole("slider", { name: "Input" }).getAttribute("aria-valuenow"));
      if (kept !== dragged) throw new Error(`Input was ${dragged} dB before the reload, ${kept} after`);
      const engine = await rpc.call("getParameter", { id: "input_gain" });
      if (Math.abs(engine.value - dragged) > 1e-3) throw new Error(`the engine lost Input: ${engine.value}`);
      if (!readFileSync(parameterTypes, "utf8").includes('  | "e2e_width";\n')) {
        throw new Error(`${parameterTypes} does not name the new id e2e_width`);
      }
      console.log(`  Width appeared ${times.saveToNewControl} ms after the save; no reload, connection ${history.join(" → ")}, Input kept at ${kept} dB`);
    });

    let goodSource;
    await step("compile error shows file and line", async () => {
      goodSource = readFileSync(libRs, "utf8");
      const broken = `${goodSource}\npub fn e2e_broken() -> u32 {\n    "not a number"\n}\n`;
      const line = broken.split("\n").indexOf('    "not a number"') + 1;
      writeFileSync(libRs, broken);
      const overlay = page.getByRole("alertdialog");
      await overlay.waitFor({ timeout: 5 * MINUTE });
      await until(`the overlay to name src/lib.rs:${line}`, async () => new RegExp(`lib\\.rs:${line}\\b`).test(await overlay.innerText()), 10_000);
      const readouts = await meterFollowsOutputGain(page, rpc);
      console.log(`  overlay names lib.rs:${line}; the old engine plays on: page peak with output_gain 0 → −20 → 0 dB: ${readouts}`);
    });

    await step("fix it and the overlay goes", async () => {
      writeFileSync(libRs, goodSource);
      await page.getByRole("alertdialog").waitFor({ state: "detached", timeout: 5 * MINUTE });
      // The failed overlay gives way to "Building…" first; done means both are gone.
      await page.getByRole("status").filter({ hasText: /Building/ }).waitFor({ state: "detached", timeout: 5 * MINUTE });
      await page.getByRole("alertdialog").waitFor({ state: "detached", timeout: 1_000 });
      await page.getByRole("slider", { name: "Width" }).waitFor({ timeout: 10_000 });
      const marker = await page.evaluate(() => window.__marker);
      if (marker !== 1) throw new Error("the page reloaded during the fix");
    });

    let beforeStop;
    await step("stop the server: the UI shows disconnected", async () => {
      await markPage(page);
      beforeStop = openSocket(sockets);
      rpc.close();
      rpc = undefined;
      await server.stop();
      await connectionBadge(page).filter({ hasText: /Disconnected/ }).waitFor({ timeout: 20_000 });
      await until("Vite's server to close its HMR socket (held open on the page's side)", () => viteChannel.closes > 0, 10_000);
    });

    await step("start again: the UI reconnects by itself", async () => {
      server = new DevServer(project, port, uiPort);
      await server.printed(/running after \d+ ms/, 5 * MINUTE);
      await connectionBadge(page).filter({ hasText: /^Connected$/ }).waitFor({ timeout: MINUTE });
      await page.getByRole("slider", { name: "Width" }).waitFor({ timeout: 10_000 });
      const marker = await page.evaluate(() => window.__marker);
      if (marker !== 1) throw new Error("the page reloaded instead of reconnecting (window.__marker is gone)");
      const history = await page.evaluate(() => window.__connection);
      if (!history.some((text) => text.startsWith("Disconnected")) || history.at(-1) !== "Connected") {
        throw new Error(`the badge did not go from disconnected back to connected: ${history.join(" → ")}`);
      }
      const newest = sockets.at(-1);
      if (beforeStop.socket.closed === null || newest === beforeStop.socket || newest.closed !== null) {
        throw new Error("the page's WebSocket to the dev server was not replaced by a new, open one");
      }
      // The panel works on the new connection: a change from another client shows.
      rpc = await RpcClient.connect(wsUrl);
      await rpc.call("setParameter", { id: "e2e_width", value: 25 });
      const width = page.getByRole("slider", { name: "Width" });
      await until("Width to show 25 from the new server", async () => (await width.getAttribute("aria-valuenow")) === "25", 10_000);
      console.log(
        `  same page (window.__marker kept), a new WebSocket after ${sockets.length - beforeStop.count} attempt(s), connection ${history.join(" → ")}`,
      );
    });

    // The same project, grown: a rebuild of one crate, not a second create and
    // a cold dependency build.
    const expectedControls = 7 + BULK_COUNT; // the template's 6, Width, the bulk
    await step(`${BULK_COUNT.toLocaleString("en")} more parameters: start builds and serves them`, async () => {
      rpc?.close();
      rpc = undefined;
      await server.stop();
      writeFileSync(libRs, addBulkParameters(readFileSync(libRs, "utf8")));
      const started = Date.now();
      server = new DevServer(project, port, uiPort);
      const ready = await server.printed(/running after \d+ ms/, 10 * MINUTE);
      times.bulkStart = ready - started;
      rpc = await RpcClient.connect(wsUrl);
      const { parameters } = await rpc.call("getAllParameters");
      if (parameters.length !== expectedControls) {
        throw new Error(`getAllParameters lists ${parameters.length} parameters, expected ${expectedControls}`);
      }
      const last = parameters.find((p) => p.id === bulkId(BULK_COUNT));
      if (last?.name !== bulkName(BULK_COUNT) || last.value !== 0.5) {
        throw new Error(`${bulkId(BULK_COUNT)} is ${JSON.stringify(last)}`);
      }
      const rounds = [];
      let bytes = 0;
      for (let i = 0; i < 20; i += 1) {
        const sent = performance.now();
        const reply = await rpc.call("getAllParameters");
        rounds.push(performance.now() - sent);
        bytes = JSON.stringify(reply).length;
      }
      rounds.sort((a, b) => a - b);
      times.bulkRoundTrip = rounds;
      console.log(
        `  getAllParameters (${expectedControls} parameters, ${(bytes / 1024).toFixed(0)} KiB), 20 round trips from a Node client: ` +
          `p50 ${rounds[10].toFixed(2)} ms, max ${rounds.at(-1).toFixed(2)} ms`,
      );
    });

    await step(`the page shows all ${expectedControls.toLocaleString("en")} controls`, async () => {
      const started = Date.now();
      await page.goto(uiUrl);
      // performance.now() in the page counts from the navigation's start.
      const rendered = await page.waitForFunction(
        ([selector, expected]) => document.querySelectorAll(selector).length === expected && performance.now(),
        [CONTROLS, expectedControls],
        { polling: "raf", timeout: 2 * MINUTE },
      );
      times.bulkRender = await rendered.jsonValue();
      const wall = Date.now() - started;
      await page.getByRole("slider", { name: bulkName(BULK_COUNT), exact: true }).waitFor({ timeout: 10_000 });
      await connectionBadge(page).filter({ hasText: /^Connected$/ }).waitFor({ timeout: 10_000 });
      console.log(
        `  navigation → ${expectedControls} controls rendered: ${times.bulkRender.toFixed(0)} ms (page clock), ${wall} ms wall`,
      );
      const renders = await renderMedians(page, expectedControls);
      times.devRender = renders.render;
      console.log(
        `  parameter list arrived → ${expectedControls} controls in the DOM: median ${renders.render.toFixed(1)} ms ` +
          `over ${RENDER_LOADS} loads (to the end of the next frame: ${renders.toNextFrame.toFixed(1)} ms); ` +
          `baseline, the first page load's ${smallRender.count} controls: ${smallRender.render.toFixed(1)} ms`,
      );
    });

    await step(`drag a slider among ${expectedControls.toLocaleString("en")} controls`, async () => {
      const id = bulkId(BULK_COUNT / 2);
      const slider = page.getByRole("slider", { name: bulkName(BULK_COUNT / 2), exact: true });
      const socket = sockets.at(-1);
      const figures = await dragMedians(page, rpc);
      times.devDrag = figures.drag - figures.idle;
      console.log(`  ${dragLine(figures)}`);

      // A burst: BURST_MOVES pointer moves within one task (so within one frame) between a real
      // press and release: the first move's value at once, then one more setParameter, with the
      // last value, after the frame; all between beginEdit and endEdit.
      const sentBefore = socket.sent.length;
      const box = await slider.boundingBox();
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.2, y);
      await page.mouse.down();
      await slider.evaluate((track, moves) => {
        const rect = track.getBoundingClientRect();
        for (let n = 1; n <= moves; n += 1) {
          const clientX = rect.x + rect.width * (0.2 + (0.7 * n) / moves);
          track.dispatchEvent(new PointerEvent("pointermove", { bubbles: true, pointerId: 1, buttons: 1, clientX, clientY: rect.y + rect.height / 2 }));
        }
      }, BURST_MOVES);
      await page.mouse.up();
      const ended = Number(await slider.getAttribute("aria-valuenow"));
      const calls = await until(
        `endEdit for ${id} on the wire`,
        async () => {
          const mine = socket.sent.slice(sentBefore).filter((frame) => frame.params?.id === id);
          return mine.at(-1)?.method === "endEdit" && mine;
        },
        5_000,
      );
      const wire = calls.map((frame) => `${frame.method}${frame.method === "setParameter" ? ` ${frame.params.value}` : ""}`);
      const values = wire.slice(1, -1);
      const throttled =
        wire[0] === "beginEdit" &&
        wire.at(-1) === "endEdit" &&
        values.length >= 1 &&
        values.length <= 2 &&
        values.every((call) => call.startsWith("setParameter ")) &&
        values.at(-1) === `setParameter ${ended}`;
      if (!throttled) {
        throw new Error(`${BURST_MOVES} moves in one frame ending at ${ended}: expected beginEdit, the first move's setParameter, one setParameter ${ended}, endEdit; the page sent ${wire.join(", ")}`);
      }
      const engine = await rpc.call("getParameter", { id });
      if (Math.abs(engine.value - ended) > 1e-9) throw new Error(`the slider ended at ${ended}, the engine has ${engine.value}`);
      console.log(`  ${BURST_MOVES} pointer moves in one frame → on the wire: ${wire.join(", ")}; the engine has ${engine.value}`);
    });

    await step(`the production build (what a plugin window loads) with ${expectedControls.toLocaleString("en")} controls`, async () => {
      await runIn(join(project, "ui"), "npm", ["run", "build"], { VITE_WAVECRAFT_WS_URL: wsUrl });
      builtBrowser = await launchBrowser(SERVE_BUILT_FLAGS);
      const built = await (await builtBrowser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
      const problems = [];
      built.on("pageerror", (error) => problems.push(error.message));
      built.on("console", (message) => message.type() === "error" && problems.push(message.text()));
      await serveBuilt(built, uiUrl.slice(0, -1), join(project, "ui/dist"));
      await installRenderClock(built, wsUrl, CONTROLS);
      await built.goto(uiUrl);
      const renders = await renderMedians(built, expectedControls).catch(async (error) => {
        const text = await built.evaluate(() => document.body.innerText.slice(0, 500)).catch(() => "");
        throw new Error(`${error.message}\n--- the page shows ---\n${text}\n--- its errors ---\n${problems.join("\n")}`);
      });
      times.prodRender = renders.render;
      console.log(
        `  parameter list arrived → ${expectedControls} controls in the DOM: median ${renders.render.toFixed(1)} ms ` +
          `over ${RENDER_LOADS} loads (to the end of the next frame: ${renders.toNextFrame.toFixed(1)} ms)`,
      );
      const figures = await dragMedians(built, rpc);
      times.prodDrag = figures.drag - figures.idle;
      console.log(`  ${dragLine(figures)}`);
    });
  } finally {
    rpc?.close();
    await browser?.close().catch(() => {});
    await builtBrowser?.close().catch(() => {});
    await server?.stop();
    if (process.env.E2E_KEEP === "1") console.log(`project kept in ${project}`);
    else rmSync(work, { recursive: true, force: true });
    console.log("\nwall times:");
    for (const [what, key] of [
      ["create", "create"],
      ["start → first build done (npm install + cargo build)", "firstBuild"],
      ["first page load (goto → connected, controls shown)", "firstPageLoad"],
      ["UI edit → shown on the page (hot replaced)", "uiEdit"],
      ["save → new control on the page", "saveToNewControl"],
      [`start with ${BULK_COUNT} more parameters → running`, "bulkStart"],
      [`navigation → all ${BULK_COUNT + 7} controls rendered`, "bulkRender"],
    ]) {
      console.log(`  ${what}: ${times[key] === undefined ? "not reached" : `${(times[key] / 1000).toFixed(2)} s`}`);
    }
    console.log(`page figures with ${BULK_COUNT + 7} parameters (medians; production build / development build as \`wavecraft start\` serves it):`);
    const ms = (key) => (times[key] === undefined ? "not reached" : `${times[key].toFixed(2)} ms`);
    console.log(`  parameter list → all controls in the DOM: ${ms("prodRender")} / ${ms("devRender")} (goal ≤ 200 ms)`);
    console.log(`  slider drag, JavaScript per frame above a hover move's: ${ms("prodDrag")} / ${ms("devDrag")} (goal ≤ 2 ms)`);
    console.log("screenshots:");
    for (const file of screenshots) console.log(`  ${file}`);
  }
}

main().then(
  () => {
    console.log("\ne2e: all steps passed");
  },
  (error) => {
    console.error(`\ne2e failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  },
);
