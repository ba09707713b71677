/**
 * The order of values: replies and notifications interleaved on one link,
 * held and released by the test so each interleaving happens for certain.
 * The fake engine stamps revisions and broadcasts like the dev server.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { IpcBridge } from "./bridge";
import { ParameterStore } from "./parameterStore";
import { createFakeEngine, makeParameter } from "./testing";
import { NOTIFICATIONS } from "./wire";

const gain = makeParameter({ id: "gain", min: -60, max: 12, default: 0, unit: "dB" });
const mix = makeParameter({ id: "mix", min: 0, max: 1, default: 1 });

const stops: (() => void)[] = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A promise the test opens when it wants a held reply to go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

async function setup() {
  const engine = createFakeEngine([gain, mix]);
  const bridge = new IpcBridge(engine.transport);
  const store = new ParameterStore(bridge);
  bridge.start();
  const stopStore = store.start();
  stops.push(() => {
    stopStore();
    bridge.stop();
  });
  // Subscribed after the store, so when this sees a push the store has applied it.
  const pushed: number[] = [];
  bridge.on(NOTIFICATIONS.parameterChanged, ({ value }) => pushed.push(value));
  const shown = (id: string) => store.getSnapshot().parameters?.find((param) => param.id === id)?.value;
  await vi.waitFor(() => expect(store.getSnapshot().parameters).not.toBeNull());
  return { engine, store, pushed, shown };
}

describe("ParameterStore keeps the newest value per id", () => {
  it("ignores a setParameter reply that arrives after a newer parameterChanged", async () => {
    const { engine, store, pushed, shown } = await setup();
    const held = gate();
    engine.server.handle("setParameter", async ({ id, value }) => {
      const stored = engine.set(id, value);
      await held.opened;
      return stored;
    });

    const done = store.set("gain", -6);
    expect(shown("gain")).toBe(-6);
    await vi.waitFor(() => expect(pushed).toEqual([-6]));
    // Another client sets gain while our reply is still queued.
    engine.set("gain", -12);
    await vi.waitFor(() => expect(pushed).toEqual([-6, -12]));
    held.open();
    await done;

    expect(engine.parameters.get("gain")?.value).toBe(-12);
    expect(shown("gain")).toBe(-12);
    expect(store.getSnapshot().error).toBeNull();
  });

  it("ignores the values of a getAllParameters result overtaken by a newer parameterChanged", async () => {
    const { engine, store, pushed, shown } = await setup();
    const held = gate();
    let answered = false;
    engine.server.handle("getAllParameters", async () => {
      const result = { parameters: [...engine.parameters.values()] };
      answered = true;
      await held.opened;
      return result;
    });

    const refreshed = store.refresh();
    await vi.waitFor(() => expect(answered).toBe(true));
    engine.set("mix", 0.25);
    await vi.waitFor(() => expect(pushed).toEqual([0.25]));
    expect(shown("mix")).toBe(0.25);
    held.open();
    await refreshed;

    // The result said mix = 1 (as it was when it was made); the push after it is newer.
    expect(shown("mix")).toBe(0.25);
    expect(shown("gain")).toBe(0);
  });

  it("takes every value in the normal order, replies and pushes alike", async () => {
    const { engine, store, pushed, shown } = await setup();

    await store.set("gain", -6);
    expect(shown("gain")).toBe(-6);
    engine.set("gain", -12);
    await vi.waitFor(() => expect(shown("gain")).toBe(-12));
    // Our own set after another client's: its reply is newer than that push, and wins.
    await store.set("gain", -3);
    expect(shown("gain")).toBe(-3);
    expect(pushed).toEqual([-6, -12, -3]);
    const before = store.getParameter("gain");
    await store.refresh();
    expect(shown("gain")).toBe(-3);
    // The refresh confirmed what was shown: nothing new to publish.
    expect(store.getParameter("gain")).toBe(before);
  });
});
