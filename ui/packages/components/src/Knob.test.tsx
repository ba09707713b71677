import type { ParameterInfo } from "@wavecraft/core";
import { WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine, makeParameter } from "@wavecraft/core/testing";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState, type ComponentType } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Knob } from "./Knob";
import { KNOB_DRAG_SPAN_PX, KNOB_WHEEL_IDLE_MS } from "./knobGeometry";
import { ParameterPanel } from "./ParameterPanel";
import type { ValueControlProps } from "./valueControl";

const cutoff = makeParameter({
  id: "cutoff",
  name: "Cutoff",
  min: 20,
  max: 20_000,
  default: 1000,
  skew: 0.25,
  unit: "Hz",
});

/** Value at a knob position, through cutoff's skew of 0.25: min + span * position^4. */
const cutoffAt = (position: number) => 20 + 19_980 * position ** 4;

/**
 * A control whose value follows its own onChange, as the optimistic store does,
 * writing what it sends to `log` ("begin", "set <value>", "end").
 */
function controlled(Control: ComponentType<ValueControlProps>, initial: ParameterInfo, disabled = false) {
  const log: string[] = [];
  function Harness() {
    const [param, setParam] = useState(initial);
    return (
      <Control
        param={param}
        disabled={disabled}
        onChange={(value) => {
          log.push(`set ${value}`);
          setParam((previous) => ({ ...previous, value }));
        }}
        onBeginEdit={() => log.push("begin")}
        onEndEdit={() => log.push("end")}
      />
    );
  }
  render(<Harness />);
  return log;
}

const knobOf = (name: string) => screen.getByRole("slider", { name });
const now = (element: HTMLElement) => Number(element.getAttribute("aria-valuenow"));

afterEach(() => {
  vi.useRealTimers();
});

describe("Knob", () => {
  it("is a slider named by its parameter, with the engine's text as its value text", () => {
    controlled(Knob, cutoff);
    const knob = knobOf("Cutoff");
    expect(knob.getAttribute("aria-valuemin")).toBe("20");
    expect(knob.getAttribute("aria-valuemax")).toBe("20000");
    expect(knob.getAttribute("aria-valuenow")).toBe("1000");
    expect(knob.getAttribute("aria-valuetext")).toBe("1000 Hz");
    expect(knob.getAttribute("aria-orientation")).toBe("vertical");
    expect(knob.tabIndex).toBe(0);
  });

  it("follows a vertical drag through the skew, the whole range in a fixed span, Shift ten times finer", () => {
    const log = controlled(Knob, { ...cutoff, value: 20 });
    const knob = knobOf("Cutoff");

    fireEvent.pointerDown(knob, { button: 0, clientY: 500, pointerId: 1 });
    fireEvent.pointerMove(knob, { clientY: 500 - KNOB_DRAG_SPAN_PX / 4, pointerId: 1 });
    expect(now(knob)).toBeCloseTo(cutoffAt(0.25), 6);
    fireEvent.pointerMove(knob, { clientY: 500 - KNOB_DRAG_SPAN_PX / 2, pointerId: 1 });
    expect(now(knob)).toBeCloseTo(cutoffAt(0.5), 6);
    // With Shift, another half span moves only 5 % of the travel.
    fireEvent.pointerMove(knob, { clientY: 500 - KNOB_DRAG_SPAN_PX, shiftKey: true, pointerId: 1 });
    expect(now(knob)).toBeCloseTo(cutoffAt(0.55), 6);
    // Far past the top clamps at the maximum; dragging down comes back from there.
    fireEvent.pointerMove(knob, { clientY: -5000, pointerId: 1 });
    expect(now(knob)).toBe(20_000);
    fireEvent.pointerMove(knob, { clientY: -5000 + KNOB_DRAG_SPAN_PX, pointerId: 1 });
    expect(now(knob)).toBe(20);
    fireEvent.pointerUp(knob, { clientY: -4800, pointerId: 1 });
    fireEvent.pointerMove(knob, { clientY: 0, pointerId: 1 });

    expect(now(knob)).toBe(20);
    expect(log[0]).toBe("begin");
    expect(log.filter((entry) => entry === "begin")).toHaveLength(1);
    expect(log.at(-1)).toBe("end");
    expect(knob.hasPointerCapture(1)).toBe(false);
  });

  it("adds slow moves up on a stepped range instead of losing each one to the snap", () => {
    const voices = makeParameter({ id: "voices", name: "Voices", kind: "int", min: 1, max: 9, default: 1 });
    controlled(Knob, voices);
    const knob = knobOf("Voices");
    fireEvent.pointerDown(knob, { button: 0, clientY: 300, pointerId: 1 });
    // 8 values over 200 px: one value per 25 px, moved 5 px at a time.
    for (let y = 295; y >= 250; y -= 5) fireEvent.pointerMove(knob, { clientY: y, pointerId: 1 });
    fireEvent.pointerUp(knob, { clientY: 250, pointerId: 1 });
    expect(now(knob)).toBe(3);
  });

  it("sets no value for a press that does not move", () => {
    const log = controlled(Knob, cutoff);
    const knob = knobOf("Cutoff");
    fireEvent.pointerDown(knob, { button: 0, clientY: 100, pointerId: 1 });
    fireEvent.pointerMove(knob, { clientY: 102, pointerId: 1 });
    fireEvent.pointerUp(knob, { clientY: 102, pointerId: 1 });
    expect(log).toEqual(["begin", "end"]);
    expect(now(knob)).toBe(1000);
    expect(document.activeElement).toBe(knob);
  });

  it("resets to the default on double-click, sending the engine nothing else", async () => {
    const engine = createFakeEngine([{ ...cutoff, value: 5000 }]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <ParameterPanel knobs={["cutoff"]} />
      </WavecraftProvider>,
    );
    const knob = await screen.findByRole("slider", { name: "Cutoff" });
    expect(knob.classList.contains("wc-knob__dial")).toBe(true);
    // The store sends one value per frame, so a jump could hide on the wire behind the default:
    // every value the knob showed is recorded too.
    const shown: (string | null)[] = [];
    new MutationObserver(() => shown.push(knob.getAttribute("aria-valuenow"))).observe(knob, {
      attributeFilter: ["aria-valuenow"],
    });

    await userEvent.setup().dblClick(knob);

    await waitFor(() => expect(now(knob)).toBe(1000));
    expect(shown).toEqual(["1000"]);
    await waitFor(() =>
      expect(engine.server.callsTo("setParameter").map((call) => call.params)).toEqual([{ id: "cutoff", value: 1000 }]),
    );
  });

  it("turns with the wheel, one gesture per burst that ends after a pause", () => {
    vi.useFakeTimers();
    const log = controlled(Knob, { ...cutoff, value: 20 });
    const knob = knobOf("Cutoff");

    // Two notches up (100 px each) move 10 % of the travel; Shift makes the third 0.5 %.
    const notch = (init: WheelEventInit) => fireEvent(knob, new WheelEvent("wheel", { bubbles: true, cancelable: true, ...init }));
    expect(notch({ deltaY: -100 })).toBe(false);
    act(() => void vi.advanceTimersByTime(KNOB_WHEEL_IDLE_MS - 10));
    notch({ deltaY: -100 });
    expect(now(knob)).toBeCloseTo(cutoffAt(0.1), 6);
    notch({ deltaY: -100, shiftKey: true });
    expect(now(knob)).toBeCloseTo(cutoffAt(0.105), 6);
    expect(log.filter((entry) => entry === "begin" || entry === "end")).toEqual(["begin"]);

    act(() => void vi.advanceTimersByTime(KNOB_WHEEL_IDLE_MS));
    expect(log.at(-1)).toBe("end");
    notch({ deltaY: 100 });
    act(() => void vi.advanceTimersByTime(KNOB_WHEEL_IDLE_MS));
    expect(now(knob)).toBeCloseTo(cutoffAt(0.055), 6);
    expect(log.filter((entry) => entry === "begin" || entry === "end")).toEqual(["begin", "end", "begin", "end"]);
  });

  it("moves with the slider keys and resets with Delete as one gesture", async () => {
    const user = userEvent.setup();
    const log = controlled(Knob, cutoff);
    const knob = knobOf("Cutoff");
    knob.focus();
    await user.keyboard("{End}");
    expect(now(knob)).toBe(20_000);
    await user.keyboard("{PageDown}");
    expect(now(knob)).toBeCloseTo(cutoffAt(0.9), 6);
    await user.keyboard("{Home}{ArrowUp}");
    expect(now(knob)).toBeCloseTo(cutoffAt(0.01), 9);
    log.length = 0;

    await user.keyboard("{Delete}");
    expect(now(knob)).toBe(1000);
    expect(log).toEqual(["begin", "set 1000", "end"]);
  });

  it("takes a typed value on Enter, read by the engine's text rule, as one gesture", async () => {
    const user = userEvent.setup();
    const log = controlled(Knob, cutoff);
    const knob = knobOf("Cutoff");
    knob.focus();
    await user.keyboard("{Enter}");
    const box = screen.getByRole("textbox", { name: "Cutoff value" });
    expect(document.activeElement).toBe(box);
    expect((box as HTMLInputElement).value).toBe("1000 Hz");

    await user.clear(box);
    await user.type(box, "2.5 kHz{Enter}");

    expect(now(knob)).toBe(2500);
    expect(log).toEqual(["begin", "set 2500", "end"]);
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(document.activeElement).toBe(knob);
  });

  it("says why a typed text names no value, sends nothing, and Escape leaves the value alone", async () => {
    const user = userEvent.setup();
    const log = controlled(Knob, cutoff);
    const knob = knobOf("Cutoff");
    await user.dblClick(screen.getByText("1000 Hz"));
    const box = screen.getByRole("textbox", { name: "Cutoff value" });

    await user.clear(box);
    await user.type(box, "-6 dB{Enter}");
    const message = screen.getByRole("alert");
    expect(message.textContent).toBe('"-6 dB" is not a value of Cutoff: type a number from 20.0 Hz to 20000 Hz.');
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(box.getAttribute("aria-describedby")).toBe(message.id);
    expect(log).toEqual([]);

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(now(knob)).toBe(1000);
    expect(log).toEqual([]);
    expect(document.activeElement).toBe(knob);
  });

  it("shows when it is inactive and then sends nothing, whatever is done to it", async () => {
    const user = userEvent.setup();
    const log = controlled(Knob, cutoff, true);
    const knob = knobOf("Cutoff");
    expect(knob.getAttribute("aria-disabled")).toBe("true");
    expect(knob.parentElement?.classList.contains("wc-control--disabled")).toBe(true);

    knob.focus();
    await user.keyboard("{End}{Delete}{Enter}");
    await user.dblClick(knob);
    fireEvent.pointerDown(knob, { button: 0, clientY: 300, pointerId: 1 });
    fireEvent.pointerMove(knob, { clientY: 200, pointerId: 1 });
    fireEvent.pointerUp(knob, { clientY: 200, pointerId: 1 });
    fireEvent(knob, new WheelEvent("wheel", { bubbles: true, cancelable: true, deltaY: -100 }));

    expect(log).toEqual([]);
    expect(now(knob)).toBe(1000);
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});
