/**
 * `npm run bench`: one slider-drag frame in the real ParameterPanel with
 * 1,000 parameters (jsdom): the pointer move, React's render and commit, and
 * the frame's send. The baseline, in the same run, is the panel as it was
 * built before: the whole list with its values from `useAllParameters`, each
 * control memoised. Prints the median of each and their ratio.
 */
import { WavecraftProvider, useAllParameters } from "@wavecraft/core";
import {
  createFakeEngine,
  createManualFrames,
  makeParameter,
  measuredRuns,
  printMedians,
} from "@wavecraft/core/testing";
import type { ComponentType } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { bench, describe } from "vitest";
import { ParameterControl } from "./ParameterControl";
import { ParameterPanel, groupParameters } from "./ParameterPanel";

const COUNT = 1_000;

// Rendering happens outside testing-library's act() here, on purpose.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

/** The panel as it was: every value through `useAllParameters`, re-rendered on each change. */
function ListOfValuesPanel() {
  const { parameters, setParameter, beginEdit, endEdit } = useAllParameters();
  return (
    <section aria-label="Parameters">
      {groupParameters(parameters ?? []).map(([group, members]) => (
        <fieldset key={group}>
          {members.map((param) => (
            <ParameterControl
              key={param.id}
              param={param}
              onChange={setParameter}
              onBeginEdit={beginEdit}
              onEndEdit={endEdit}
            />
          ))}
        </fieldset>
      ))}
    </section>
  );
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** `Panel` mounted over COUNT parameters, a drag begun on the middle slider, and one frame of it. */
async function dragging(Panel: ComponentType) {
  const engine = createFakeEngine(
    Array.from({ length: COUNT }, (_, n) =>
      makeParameter({ id: `p${n}`, name: `P ${n}`, group: `Bank ${Math.floor(n / 100)}`, default: 0.5 }),
    ),
  );
  const frames = createManualFrames();
  const container = document.createElement("div");
  document.body.append(container);
  createRoot(container).render(
    <WavecraftProvider transport={engine.transport} scheduleFrame={frames.schedule}>
      <Panel />
    </WavecraftProvider>,
  );
  while (container.querySelectorAll("[role=slider]").length < COUNT) await settle();
  const slider = container.querySelectorAll<HTMLElement>("[role=slider]")[COUNT / 2] as HTMLElement;
  slider.getBoundingClientRect = () => DOMRect.fromRect({ x: 0, y: 0, width: 1000, height: 20 });
  const pointer = (type: string, clientX: number) =>
    flushSync(() => slider.dispatchEvent(new PointerEvent(type, { button: 0, clientX, pointerId: 1, bubbles: true })));
  pointer("pointerdown", 500);
  let x = 500;
  /** One frame: a move (render and commit), then the frame's send; returns its scripting time. */
  return async (samples: number[]) => {
    x = x >= 900 ? 100 : x + 7;
    const started = performance.now();
    pointer("pointermove", x);
    frames.next();
    samples.push(performance.now() - started);
    // The echo and the reply, outside the timed part (neither renders anything).
    await settle();
  };
}

const samples = { perId: [] as number[], listOfValues: [] as number[] };

describe(`ParameterPanel, one drag frame with ${COUNT.toLocaleString("en")} parameters`, async () => {
  const perIdFrame = await dragging(ParameterPanel);
  const listOfValuesFrame = await dragging(ListOfValuesPanel);
  const print = () =>
    printMedians(`panel (jsdom), pointer move → commit + send, ${COUNT} parameters`, [
      ["ParameterPanel (shape list + useParameter per control)", samples.perId],
      ["baseline: useAllParameters panel, memoised controls", samples.listOfValues],
    ]);
  bench("ParameterPanel: shape list, useParameter per control", () => perIdFrame(samples.perId), measuredRuns(samples.perId));
  bench(
    "baseline: useAllParameters panel, memoised controls",
    () => listOfValuesFrame(samples.listOfValues),
    measuredRuns(samples.listOfValues, print),
  );
});
