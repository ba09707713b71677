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
});
