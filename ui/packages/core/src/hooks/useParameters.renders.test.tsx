/**
 * Render counts: a value change re-renders the one control that shows it,
 * once, and never the list that lays the controls out.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import { memo } from "react";
import { describe, expect, it } from "vitest";
import { WavecraftProvider } from "../context";
import { createFakeEngine, createManualFrames, makeParameter } from "../testing";
import { useParameter, useParameterList } from "./useParameters";

const ids = ["gain", "mix", "drive"];

function renderControls() {
  const engine = createFakeEngine(ids.map((id) => makeParameter({ id, min: -60, max: 12 })));
  const frames = createManualFrames();
  const renders = new Map<string, number>();
  const count = (key: string) => renders.set(key, (renders.get(key) ?? 0) + 1);

  const Control = memo(function Control({ id }: { id: string }) {
    const { param, setValue } = useParameter(id);
    count(id);
    return (
      <button type="button" aria-label={id} onClick={() => void setValue(-6)}>
        {param?.value}
      </button>
    );
  });
  function List() {
    const { parameters } = useParameterList();
    count("list");
    return parameters?.map((shape) => <Control key={shape.id} id={shape.id} />);
  }

  render(
    <WavecraftProvider transport={engine.transport} scheduleFrame={frames.schedule}>
      <List />
    </WavecraftProvider>,
  );
  /** Renders per key since the last call. */
  const since = (() => {
    let before = new Map<string, number>();
    return () => {
      const now = Object.fromEntries(["list", ...ids].map((key) => [key, (renders.get(key) ?? 0) - (before.get(key) ?? 0)]));
      before = new Map(renders);
      return now;
    };
  })();
  return { engine, frames, since };
}

describe("render counts with per-id subscriptions", () => {
  it("re-renders only the control whose value a set changes, once for the set, its echo and its reply", async () => {
    const { engine, frames, since } = renderControls();
    await screen.findByRole("button", { name: "drive" });
    since();

    act(() => screen.getByRole("button", { name: "gain" }).click());
    expect(screen.getByRole("button", { name: "gain" }).textContent).toBe("-6");
    act(() => frames.next());
    await waitFor(() => expect(engine.parameters.get("gain")?.value).toBe(-6));
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));

    expect(since()).toEqual({ list: 0, gain: 1, mix: 0, drive: 0 });
  });

  it("re-renders only the control whose value another client changed", async () => {
    const { engine, since } = renderControls();
    await screen.findByRole("button", { name: "drive" });
    since();

    act(() => {
      engine.set("drive", 3);
    });
    await waitFor(() => expect(screen.getByRole("button", { name: "drive" }).textContent).toBe("3"));

    expect(since()).toEqual({ list: 0, gain: 0, mix: 0, drive: 1 });
  });
});
