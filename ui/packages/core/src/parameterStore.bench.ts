/**
 * `npm run bench`: one slider-drag frame through the parameter store with
 * 1,000 parameters and 1,000 controls reading it — the optimistic value, the
 * frame's send, the server's echo and its reply over the in-memory link.
 *
 * Controls read the store the way `useParameter` does now (one listener per
 * id, a Map lookup) or, as the baseline in the same run, the way it did
 * before (every control listening to every change and finding its id in the
 * list). Prints the median per frame of each and their ratio.
 */
import { bench, describe } from "vitest";
import { IpcBridge } from "./bridge";
import { ParameterStore } from "./parameterStore";
import { createFakeEngine, createManualFrames, makeParameter } from "./testing";
import { measuredRuns, printMedians, timed } from "./testing/benchFigures";

const COUNT = 1_000;

/** A loaded store over a fake engine with COUNT parameters, and a way to drag one of them. */
async function loadedStore() {
  const engine = createFakeEngine(
    Array.from({ length: COUNT }, (_, n) => makeParameter({ id: `p${n}`, min: 0, max: 1, default: 0.5 })),
  );
  const bridge = new IpcBridge(engine.transport);
  const frames = createManualFrames();
  const store = new ParameterStore(bridge, { scheduleFrame: frames.schedule });
  bridge.start();
  store.start();
  while (store.getSnapshot().parameters === null) await new Promise((resolve) => setTimeout(resolve, 1));
  let step = 0;
  /** One frame of a drag on the middle parameter: set, the frame's send, echo and reply. */
  const dragFrame = async () => {
    step += 1;
    const done = store.set(`p${COUNT / 2}`, (step % 100) / 100);
    frames.next();
    await done;
  };
  return { store, dragFrame };
}

const samples = { perId: [] as number[], findInList: [] as number[] };

describe(`one drag frame with ${COUNT.toLocaleString("en")} parameters and controls`, async () => {
  const perId = await loadedStore();
  for (let n = 0; n < COUNT; n += 1) {
    const id = `p${n}`;
    perId.store.subscribeParameter(id, () => perId.store.getParameter(id));
  }
  const findInList = await loadedStore();
  for (let n = 0; n < COUNT; n += 1) {
    const id = `p${n}`;
    findInList.store.subscribe(() => findInList.store.getSnapshot().parameters?.find((param) => param.id === id));
  }

  const print = () =>
    printMedians(`store, one drag frame, ${COUNT} parameters`, [
      ["per-id listeners", samples.perId],
      ["baseline: listen to all + find", samples.findInList],
    ]);
  bench(
    "per-id listeners (useParameter now)",
    () => timed(samples.perId, perId.dragFrame),
    measuredRuns(samples.perId),
  );
  bench(
    "baseline: every control listens to every change and finds its id",
    () => timed(samples.findInList, findInList.dragFrame),
    measuredRuns(samples.findInList, print),
  );
});
