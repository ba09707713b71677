/**
 * What keeps the store cheap with many parameters: sends throttled per frame
 * (with edit gestures kept in order around them), publishing only what
 * really changed and only to who reads it, and no re-fetch after a build
 * that changed nothing. Frames come when the test says so.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { IpcBridge } from "./bridge";
import { ParameterStore } from "./parameterStore";
import { createFakeEngine, createManualFrames, makeParameter } from "./testing";
import { NOTIFICATIONS } from "./wire";

const gain = makeParameter({ id: "gain", min: -60, max: 12, default: 0, unit: "dB" });
const mix = makeParameter({ id: "mix", min: 0, max: 1, default: 1 });

const stops: (() => void)[] = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function setup() {
  const engine = createFakeEngine([gain, mix]);
  const bridge = new IpcBridge(engine.transport);
  const frames = createManualFrames();
  const store = new ParameterStore(bridge, { scheduleFrame: frames.schedule });
  bridge.start();
  const stopStore = store.start();
  stops.push(() => {
    stopStore();
    bridge.stop();
  });
  await vi.waitFor(() => expect(store.getSnapshot().parameters).not.toBeNull());
  /** What the server received, as "method id value" lines. */
  const sent = () =>
    engine.server.requests.flatMap((request) => {
      const params = request.params as { id?: string; value?: number } | undefined;
      if (!params?.id) return [];
      return [[request.method, params.id, params.value].filter((part) => part !== undefined).join(" ")];
    });
  /** A listener that counts its calls. */
  const counter = () => {
    const count = {
      calls: 0,
      listener: () => {
        count.calls += 1;
      },
    };
    return count;
  };
  return { engine, store, frames, sent, counter };
}

describe("ParameterStore sends at most one value per frame per id", () => {
  it("shows every value at once, sends the first at once and only the last of the rest after the frame", async () => {
    const { engine, store, frames, sent } = await setup();

    const done = [-1, -2, -3].map((value) => {
      const set = store.set("gain", value);
      expect(store.getParameter("gain")?.value).toBe(value);
      return set;
    });
    await Promise.resolve();
    expect(sent()).toEqual(["setParameter gain -1"]);
    expect(frames.waiting).toBe(1);

    frames.next();
    await Promise.all(done);
    expect(sent()).toEqual(["setParameter gain -1", "setParameter gain -3"]);
    expect(engine.parameters.get("gain")?.value).toBe(-3);
    expect(store.getParameter("gain")?.value).toBe(-3);
  });

  it("throttles each id on its own", async () => {
    const { store, frames, sent } = await setup();
    const done = [store.set("gain", -6), store.set("mix", 0.5), store.set("gain", -9), store.set("mix", 0.25)];
    await Promise.resolve();
    expect(sent()).toEqual(["setParameter gain -6", "setParameter mix 0.5"]);
    frames.next();
    await Promise.all(done);
    expect(sent()).toEqual(["setParameter gain -6", "setParameter mix 0.5", "setParameter gain -9", "setParameter mix 0.25"]);
  });

  it("holds a value set again in the frame after a queued send went, and sends it at once after a quiet frame", async () => {
    const { store, frames, sent } = await setup();
    const done = [store.set("gain", -1), store.set("gain", -2)];
    frames.next();
    // -2 went after that frame: gain has sent its one for the coming frame.
    done.push(store.set("gain", -3));
    await Promise.resolve();
    expect(sent()).toEqual(["setParameter gain -1", "setParameter gain -2"]);
    frames.next();
    // A frame in which nothing waited: the next value goes at once.
    frames.next();
    done.push(store.set("gain", -4));
    await Promise.all(done);
    expect(sent()).toEqual(["setParameter gain -1", "setParameter gain -2", "setParameter gain -3", "setParameter gain -4"]);
    expect(frames.waiting).toBe(1);
  });

  it("keeps a drag's gesture around its values: beginEdit at once, endEdit after the last value", async () => {
    const { engine, store, frames, sent } = await setup();

    const began = store.beginEdit("gain");
    await Promise.resolve();
    expect(sent()).toEqual(["beginEdit gain"]);
    const moves = [store.set("gain", -1)];
    frames.next();
    moves.push(store.set("gain", -2), store.set("gain", -3));
    // Released before the next frame: the last value must still go, and before endEdit.
    const ended = store.endEdit("gain");
    await Promise.resolve();
    expect(sent()).toEqual(["beginEdit gain", "setParameter gain -1", "setParameter gain -2"]);

    frames.next();
    await Promise.all([began, ...moves, ended]);
    expect(sent()).toEqual([
      "beginEdit gain",
      "setParameter gain -1",
      "setParameter gain -2",
      "setParameter gain -3",
      "endEdit gain",
    ]);
    expect(engine.editing.size).toBe(0);
    expect(engine.parameters.get("gain")?.value).toBe(-3);

    // A second drag begun within one frame of the first one's end queues behind that end.
    const again = [store.set("gain", -4), store.endEdit("gain"), store.beginEdit("gain"), store.set("gain", -5)];
    frames.next();
    again.push(store.endEdit("gain"));
    frames.next();
    await Promise.all(again);
    expect(sent().slice(5)).toEqual([
      "setParameter gain -4",
      "endEdit gain",
      "beginEdit gain",
      "setParameter gain -5",
      "endEdit gain",
    ]);
  });

  it("rolls back truthfully when the one value sent after a frame is refused", async () => {
    const { engine, store, frames } = await setup();
    const done = [store.set("gain", -6), store.set("gain", 12), store.set("gain", 99)];
    frames.next();
    await Promise.all(done);
    // -6 went at once and was taken, 12 never reached the server, 99 was refused: the
    // confirmed value (-6) shows again.
    expect(engine.parameters.get("gain")?.value).toBe(-6);
    expect(store.getParameter("gain")?.value).toBe(-6);
    expect(store.getSnapshot().error).toMatchObject({ code: -32001 });
  });

  it("sends what is queued when it stops", async () => {
    const { engine, store, sent } = await setup();
    const done = [store.set("mix", 0.5), store.set("mix", 0.25)];
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent()).toEqual(["setParameter mix 0.5"]);
    stops.splice(0).forEach((stop) => stop());
    await Promise.all(done);
    expect(sent()).toEqual(["setParameter mix 0.5", "setParameter mix 0.25"]);
    expect(engine.parameters.get("mix")?.value).toBe(0.25);
  });
});

describe("ParameterStore publishes each real change once, to who reads it", () => {
  it("publishes a set once: the echo and the reply that confirm it publish nothing", async () => {
    const { engine, store, frames, counter } = await setup();
    const all = counter();
    const gainReaders = counter();
    store.subscribe(all.listener);
    store.subscribeParameter("gain", gainReaders.listener);

    const done = store.set("gain", -6);
    expect([all.calls, gainReaders.calls]).toEqual([1, 1]);
    const shown = store.getParameter("gain");
    frames.next();
    await done;
    await vi.waitFor(() => expect(engine.server.callsTo("setParameter")).toHaveLength(1));

    expect([all.calls, gainReaders.calls]).toEqual([1, 1]);
    expect(store.getParameter("gain")).toBe(shown);
  });

  it("tells a push to the readers of its id only", async () => {
    const { engine, store, counter } = await setup();
    const gainReaders = counter();
    const mixReaders = counter();
    const listReaders = counter();
    store.subscribeParameter("gain", gainReaders.listener);
    store.subscribeParameter("mix", mixReaders.listener);
    store.subscribeList(listReaders.listener);
    const list = store.getListSnapshot();

    engine.set("mix", 0.25);
    await vi.waitFor(() => expect(store.getParameter("mix")?.value).toBe(0.25));

    expect([gainReaders.calls, mixReaders.calls, listReaders.calls]).toEqual([0, 1, 0]);
    expect(store.getListSnapshot()).toBe(list);
  });

  it("publishes nothing for a fetch that changes nothing shown", async () => {
    const { store, counter } = await setup();
    const all = counter();
    store.subscribe(all.listener);
    const before = store.getSnapshot();
    await store.refresh();
    expect(all.calls).toBe(0);
    expect(store.getSnapshot()).toBe(before);
  });

  it("gives a new list shape only when ids or shapes change", async () => {
    const { engine, store } = await setup();
    const first = store.getListSnapshot();
    expect(first.parameters?.map((shape) => shape.id)).toEqual(["gain", "mix"]);
    expect(first.parameters?.[0]).not.toHaveProperty("value");

    engine.reload([gain, { ...mix, name: "Dry/Wet" }]);
    await vi.waitFor(() => expect(store.getListSnapshot()).not.toBe(first));
    const second = store.getListSnapshot();
    expect(second.parameters?.[0]).toBe(first.parameters?.[0]);
    expect(second.parameters?.[1]?.name).toBe("Dry/Wet");
  });
});

describe("ParameterStore after a build", () => {
  it("re-fetches only when parametersChanged names an id", async () => {
    const { engine, store, counter } = await setup();
    const all = counter();
    store.subscribe(all.listener);
    expect(engine.server.callsTo("getAllParameters")).toHaveLength(1);

    engine.reload([gain, mix]);
    // The push is sent after the notification, so once it shows the notification was handled.
    engine.set("mix", 0.5);
    await vi.waitFor(() => expect(store.getParameter("mix")?.value).toBe(0.5));
    await store.beginEdit("mix");

    expect(engine.server.callsTo("getAllParameters")).toHaveLength(1);
    expect(all.calls).toBe(1);

    // One that names an id added, removed or reshaped is re-fetched.
    for (const [diff, count] of [
      [{ added: ["drive"], removed: [], changed: [] }, 2],
      [{ added: [], removed: ["mix"], changed: [] }, 3],
      [{ added: [], removed: [], changed: ["gain"] }, 4],
    ] as const) {
      engine.server.notify(NOTIFICATIONS.parametersChanged, {
        added: [...diff.added],
        removed: [...diff.removed],
        changed: [...diff.changed],
      });
      await vi.waitFor(() => expect(engine.server.callsTo("getAllParameters")).toHaveLength(count));
    }
  });

});
