import { WavecraftProvider, type ParameterInfo } from "@wavecraft/core";
import { createFakeEngine, makeParameter } from "@wavecraft/core/testing";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { ParameterPanel } from "./ParameterPanel";
import { ParameterSlider } from "./ParameterSlider";

/** A slider whose value follows its own onChange, as the optimistic store does. */
function Controlled({ initial, onChange }: { initial: ParameterInfo; onChange?: (value: number) => void }) {
  const [param, setParam] = useState(initial);
  return (
    <ParameterSlider
      param={param}
      onChange={(value) => {
        onChange?.(value);
        setParam((previous) => ({ ...previous, value }));
      }}
    />
  );
}

const cutoff = makeParameter({
  id: "cutoff",
  name: "Cutoff",
  min: 20,
  max: 20_000,
  default: 1000,
  skew: 0.25,
  unit: "Hz",
});

describe("ParameterSlider", () => {
  it("exposes its range and value through ARIA", () => {
    render(<Controlled initial={cutoff} />);
    const slider = screen.getByRole("slider", { name: "Cutoff" });
    expect(slider.getAttribute("aria-valuemin")).toBe("20");
    expect(slider.getAttribute("aria-valuemax")).toBe("20000");
    expect(slider.getAttribute("aria-valuenow")).toBe("1000");
    expect(slider.getAttribute("aria-valuetext")).toBe("1000 Hz");
    expect(slider.tabIndex).toBe(0);
  });

  it("moves through the skewed range with the keyboard", async () => {
    const user = userEvent.setup();
    render(<Controlled initial={cutoff} />);
    const slider = screen.getByRole("slider", { name: "Cutoff" });
    slider.focus();
    const now = () => Number(slider.getAttribute("aria-valuenow"));

    await user.keyboard("{End}");
    expect(now()).toBe(20_000);
    await user.keyboard("{PageDown}");
    // 10 % of the travel below the top, through the skew: 20 + 19980 * 0.9^4.
    expect(now()).toBeCloseTo(20 + 19_980 * 0.9 ** 4, 6);
    await user.keyboard("{Home}");
    expect(now()).toBe(20);
    expect(slider.getAttribute("aria-valuetext")).toBe("20.0 Hz");
    await user.keyboard("{ArrowRight}");
    expect(now()).toBeCloseTo(20 + 19_980 * 0.01 ** 4, 9);
    await user.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(now()).toBe(20);
  });

  it("moves one step per arrow key on a stepped parameter", async () => {
    const user = userEvent.setup();
    const voices = makeParameter({ id: "voices", name: "Voices", kind: "int", min: 1, max: 8, default: 4 });
    render(<Controlled initial={voices} />);
    const slider = screen.getByRole("slider", { name: "Voices" });
    slider.focus();
    await user.keyboard("{ArrowUp}{ArrowUp}");
    expect(slider.getAttribute("aria-valuenow")).toBe("6");
    await user.keyboard("{ArrowDown}");
    expect(slider.getAttribute("aria-valuenow")).toBe("5");
  });

  it("resets to the default on double-click, sending the engine nothing else", async () => {
    const engine = createFakeEngine([{ ...cutoff, value: 5000 }]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <ParameterPanel />
      </WavecraftProvider>,
    );
    const slider = await screen.findByRole("slider", { name: "Cutoff" });
    // A real track, so a press that set the value under the pointer would send 20 Hz first.
    slider.getBoundingClientRect = () => DOMRect.fromRect({ x: 100, y: 0, width: 200, height: 20 });

    // The store sends one value per frame, so a jump could hide on the wire behind the default:
    // every value the slider showed is recorded too.
    const shown: (string | null)[] = [];
    new MutationObserver(() => shown.push(slider.getAttribute("aria-valuenow"))).observe(slider, {
      attributeFilter: ["aria-valuenow"],
    });

    await userEvent.setup().dblClick(slider);

    await waitFor(() => expect(slider.getAttribute("aria-valuenow")).toBe("1000"));
    expect(shown).toEqual(["1000"]);
    await waitFor(() =>
      expect(engine.server.callsTo("setParameter").map((call) => call.params)).toEqual([
        { id: "cutoff", value: 1000 },
      ]),
    );
  });

  it("sends nothing for a press that does not move", () => {
    const onChange = vi.fn();
    const mix = makeParameter({ id: "mix", name: "Mix", min: 0, max: 100 });
    render(<Controlled initial={mix} onChange={onChange} />);
    const slider = screen.getByRole("slider", { name: "Mix" });
    slider.getBoundingClientRect = () => DOMRect.fromRect({ x: 100, y: 0, width: 200, height: 20 });

    fireEvent.pointerDown(slider, { button: 0, clientX: 250, pointerId: 1 });
    fireEvent.pointerUp(slider, { clientX: 250, pointerId: 1 });

    expect(onChange).not.toHaveBeenCalled();
    expect(slider.getAttribute("aria-valuenow")).toBe("0");
    expect(document.activeElement).toBe(slider);
  });

  it("follows a pointer drag along the track, from the first move past a few pixels", () => {
    const onChange = vi.fn();
    const mix = makeParameter({ id: "mix", name: "Mix", min: 0, max: 100 });
    render(<Controlled initial={mix} onChange={onChange} />);
    const slider = screen.getByRole("slider", { name: "Mix" });
    slider.getBoundingClientRect = () => DOMRect.fromRect({ x: 100, y: 0, width: 200, height: 20 });

    fireEvent.pointerDown(slider, { button: 0, clientX: 150, pointerId: 1 });
    fireEvent.pointerMove(slider, { clientX: 152, pointerId: 1 });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.pointerMove(slider, { clientX: 250, pointerId: 1 });
    fireEvent.pointerUp(slider, { clientX: 250, pointerId: 1 });
    fireEvent.pointerMove(slider, { clientX: 300, pointerId: 1 });

    expect(onChange.mock.calls.map(([value]) => value as number)).toEqual([75]);
    expect(slider.hasPointerCapture(1)).toBe(false);
    expect(slider.getAttribute("aria-valuenow")).toBe("75");
  });

  it("opens a value box on a double-click of its readout and takes typed text as the engine reads it", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const gain = makeParameter({ id: "gain", name: "Gain", min: -60, max: 12, default: 0, unit: "dB" });
    render(<Controlled initial={gain} onChange={onChange} />);
    const slider = screen.getByRole("slider", { name: "Gain" });

    await user.dblClick(screen.getByText("0.00 dB"));
    const box = screen.getByRole("textbox", { name: "Gain value" });
    await user.clear(box);
    await user.type(box, "\u22126 db{Enter}");

    expect(onChange.mock.calls).toEqual([[-6]]);
    expect(slider.getAttribute("aria-valuetext")).toBe("-6.00 dB");
    expect(document.activeElement).toBe(slider);
  });

  it("keeps the value and the box after text it cannot read, and sends it once corrected", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Controlled initial={cutoff} onChange={onChange} />);
    const slider = screen.getByRole("slider", { name: "Cutoff" });
    slider.focus();
    await user.keyboard("{Enter}");
    const box = screen.getByRole("textbox", { name: "Cutoff value" });

    await user.clear(box);
    await user.type(box, "1,5k{Enter}");
    expect(screen.getByRole("alert").textContent).toContain('"1,5k" is not a value of Cutoff');
    expect(onChange).not.toHaveBeenCalled();
    expect(slider.getAttribute("aria-valuenow")).toBe("1000");

    await user.clear(box);
    expect(screen.queryByRole("alert")).toBeNull();
    await user.type(box, "1.5k{Enter}");
    expect(onChange.mock.calls).toEqual([[1500]]);
  });

  it("sends a typed value as one gesture: begin, set, end", async () => {
    const engine = createFakeEngine([cutoff]);
    const user = userEvent.setup();
    render(
      <WavecraftProvider transport={engine.transport}>
        <ParameterPanel />
      </WavecraftProvider>,
    );
    const slider = await screen.findByRole("slider", { name: "Cutoff" });
    slider.focus();
    await user.keyboard("{Enter}");
    await user.clear(screen.getByRole("textbox", { name: "Cutoff value" }));
    await user.keyboard("250{Enter}");

    await waitFor(() => expect(engine.server.requests.at(-1)?.method).toBe("endEdit"));
    expect(engine.server.requests.filter((request) => request.method !== "getAllParameters" && request.method !== "getEngineInfo").map((request) => request.method)).toEqual(["beginEdit", "setParameter", "endEdit"]);
    expect(engine.parameters.get("cutoff")?.value).toBe(250);
  });

  it("resets to the default with Backspace or Delete", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Controlled initial={{ ...cutoff, value: 300 }} onChange={onChange} />);
    const slider = screen.getByRole("slider", { name: "Cutoff" });
    slider.focus();
    await user.keyboard("{Backspace}");
    expect(slider.getAttribute("aria-valuenow")).toBe("1000");
    await user.keyboard("{End}{Delete}");
    expect(onChange.mock.calls).toEqual([[1000], [20_000], [1000]]);
  });

  it("is dimmed, aria-disabled and inert while inactive", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const mix = makeParameter({ id: "mix", name: "Mix", min: 0, max: 100 });
    render(<ParameterSlider param={mix} onChange={onChange} disabled />);
    const slider = screen.getByRole("slider", { name: "Mix" });
    slider.getBoundingClientRect = () => DOMRect.fromRect({ x: 100, y: 0, width: 200, height: 20 });
    expect(slider.getAttribute("aria-disabled")).toBe("true");

    slider.focus();
    await user.keyboard("{End}{Enter}");
    fireEvent.pointerDown(slider, { button: 0, clientX: 150, pointerId: 1 });
    fireEvent.pointerMove(slider, { clientX: 250, pointerId: 1 });
    fireEvent.pointerUp(slider, { clientX: 250, pointerId: 1 });
    await user.dblClick(screen.getByText("0.00"));

    expect(onChange).not.toHaveBeenCalled();
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});
