/**
 * End-to-end: a new user's first minutes, driven through a real headless
 * Chromium (playwright-core with the system's chromium, no browser download).
 *
 * wavecraft create → wavecraft start (virtual audio) → parameters and moving
 * meters → drag a slider, the engine follows → add a parameter in the engine
 * source, its control appears with no reload and no reconnect, the dragged
 * value is kept → a compile error shows file:line while meters keep moving →
 * fixed, the overlay goes → the server stops, the UI says so → the server
 * starts again, the UI reconnects by itself.
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

/** Polls `check` until it returns a truthy value; throws `what` on timeout. */
async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ""}`);
    }
    await sleep(200);
  }
}

/** Runs the CLI to completion. */
function runCli(args) {
  return new Promise((ok, fail) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? ok(output) : fail(new Error(`wavecraft ${args.join(" ")} exited ${code}:\n${output}`))));
  });
}

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
        if (exited) throw new Error(`the dev server exited:\n${this.tail()}`);
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

  /** SIGINT to the whole group (what Ctrl-C does), SIGKILL if it lingers. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, "SIGINT");
    } catch {
      return;
    }
    const done = await Promise.race([this.exited, sleep(15_000).then(() => null)]);
    if (done === null) {
      try {
        process.kill(-this.child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
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

/** True when a meter readout shows a finite level (not −∞, not idle). */
const meterIsLive = (text) => /-?\d+(\.\d+)? dB/.test(text) && !text.includes("No signal");

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
  const times = {};
  const screenshots = [];
  let server;
  let browser;
  let rpc;
  let page;
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
      browser = await chromium.launch({
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
        ],
      });
      const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
      page = await context.newPage();
      const started = Date.now();
      await page.goto(uiUrl);
      await connectionBadge(page).filter({ hasText: /^Connected$/ }).waitFor({ timeout: MINUTE });
      await page.getByRole("slider", { name: "Input" }).waitFor({ timeout: MINUTE });
      times.firstPageLoad = Date.now() - started;
    });

    await step("parameters and moving meters", async () => {
      for (const name of ["Input", "Cutoff", "Resonance", "Drive", "Output"]) {
        await page.getByRole("slider", { name }).waitFor({ timeout: 10_000 });
      }
      const first = await until("a live meter reading", async () => {
        const text = await meterText(page);
        return meterIsLive(text) && text;
      }, 20_000);
      rpc = await RpcClient.connect(wsUrl);
      const since = Date.now();
      await sleep(1_000);
      const second = await meterText(page);
      const frames = rpc.count("meterUpdate", since);
      if (!meterIsLive(second)) throw new Error(`the meter went quiet: ${second}`);
      if (frames < 10) throw new Error(`only ${frames} meterUpdate frames in 1 s`);
      console.log(`  meter: ${JSON.stringify(first)} → ${JSON.stringify(second)} (${frames} frames/s pushed${first === second ? ", readout steady: a sine at a fixed level" : ""})`);
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

    await step("add a parameter in the engine source", async () => {
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
      const saved = Date.now();
      writeFileSync(libRs, addParameter(readFileSync(libRs, "utf8")));
      await page.getByRole("slider", { name: "Width" }).waitFor({ timeout: 5 * MINUTE });
      times.saveToNewControl = Date.now() - saved;
      const marker = await page.evaluate(() => window.__marker);
      if (marker !== 1) throw new Error("the page reloaded (window.__marker is gone)");
      const history = await page.evaluate(() => window.__connection);
      if (history.some((text) => text !== "Connected")) {
        throw new Error(`the socket reconnected during the hot reload: ${history.join(" → ")}`);
      }
      const kept = Number(await page.getByRole("slider", { name: "Input" }).getAttribute("aria-valuenow"));
      if (kept !== dragged) throw new Error(`Input was ${dragged} dB before the reload, ${kept} after`);
      const engine = await rpc.call("getParameter", { id: "input_gain" });
      if (Math.abs(engine.value - dragged) > 1e-3) throw new Error(`the engine lost Input: ${engine.value}`);
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
      const since = Date.now();
      const before = await meterText(page);
      await sleep(1_000);
      const after = await meterText(page);
      const frames = rpc.count("meterUpdate", since);
      if (!meterIsLive(before) || !meterIsLive(after) || frames < 10) {
        throw new Error(`meters stopped during the failed build: ${before} / ${after}, ${frames} frames`);
      }
      console.log(`  overlay names lib.rs:${line}; meters live (${frames} frames in 1 s)`);
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

    await step("stop the server: the UI shows disconnected", async () => {
      rpc.close();
      rpc = undefined;
      await server.stop();
      await connectionBadge(page).filter({ hasText: /Disconnected/ }).waitFor({ timeout: 20_000 });
    });

    await step("start again: the UI reconnects by itself", async () => {
      server = new DevServer(project, port, uiPort);
      await server.printed(/running after \d+ ms/, 5 * MINUTE);
      await connectionBadge(page).filter({ hasText: /^Connected$/ }).waitFor({ timeout: MINUTE });
      await page.getByRole("slider", { name: "Width" }).waitFor({ timeout: 10_000 });
      const marker = await page.evaluate(() => window.__marker);
      console.log(marker === 1 ? "  reconnected in place (same page)" : "  reconnected (Vite's client reloaded the page when its own server came back)");
    });
  } finally {
    rpc?.close();
    await browser?.close().catch(() => {});
    await server?.stop();
    if (process.env.E2E_KEEP === "1") console.log(`project kept in ${project}`);
    else rmSync(work, { recursive: true, force: true });
    console.log("\nwall times:");
    for (const [what, key] of [
      ["create", "create"],
      ["start → first build done (npm install + cargo build)", "firstBuild"],
      ["first page load (goto → connected, controls shown)", "firstPageLoad"],
      ["save → new control on the page", "saveToNewControl"],
    ]) {
      console.log(`  ${what}: ${times[key] === undefined ? "not reached" : `${(times[key] / 1000).toFixed(2)} s`}`);
    }
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
