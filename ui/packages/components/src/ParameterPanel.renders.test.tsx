/**
 * The panel with many parameters: a value change commits to the page once;
 * the echo and the reply that confirm it commit nothing.
 */
import { WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine, createManualFrames, makeParameter } from "@wavecraft/core/testing";
import { Profiler } from "react";
import { act, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ParameterPanel } from "./ParameterPanel";

describe("ParameterPanel with 200 parameters", () => {
  it("commits a keyboard change once, not again for its echo and its reply", async () => {
    const engine = createFakeEngine(
      Array.from({ length: 200 }, (_, n) => makeParameter({ id: `p${n}`, name: `P ${n}`, min: 0, max: 100 })),
    );
    const frames = createManualFrames();
    const commits: number[] = [];
    render(
      <WavecraftProvider transport={engine.transport} scheduleFrame={frames.schedule}>
        <Profiler id="panel" onRender={(_id, _phase, actualDuration) => commits.push(actualDuration)}>
          <ParameterPanel />
        </Profiler>
      </WavecraftProvider>,
    );
    const slider = await screen.findByRole("slider", { name: "P 199" });
    commits.length = 0;

    act(() => {
      slider.focus();
      slider.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
      slider.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
    });
    act(() => frames.next());
    await waitFor(() => expect(engine.parameters.get("p199")?.value).toBe(100));
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));

    expect(slider.getAttribute("aria-valuenow")).toBe("100");
    expect(engine.editing.size).toBe(0);
    expect(commits).toHaveLength(1);
  });
});
