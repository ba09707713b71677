import { WavecraftProvider } from "@wavecraft/core";
import { RpcFailure, createFakeEngine, makeParameter } from "@wavecraft/core/testing";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ParameterPanel } from "./ParameterPanel";

const gain = makeParameter({ id: "gain", name: "Gain", min: -60, max: 12, default: 0, unit: "dB" });
const mix = makeParameter({ id: "mix", name: "Mix", min: 0, max: 1, default: 1 });
const bypass = makeParameter({ id: "bypass", name: "Bypass", kind: "bool", group: "Routing" });
const mode = makeParameter({
  id: "mode",
  name: "Mode",
  kind: "enum",
  max: 2,
  variants: ["Clean", "Warm", "Hot"],
  group: "Routing",
});

function renderPanel() {
  const engine = createFakeEngine([gain, mix, bypass, mode]);
  render(
    <WavecraftProvider transport={engine.transport}>
      <ParameterPanel />
    </WavecraftProvider>,
  );
  return engine;
}

describe("ParameterPanel", () => {
  it("shows every parameter, grouped, with the control its kind needs", async () => {
    renderPanel();
    const main = await screen.findByRole("group", { name: "Main" });
    expect(within(main).getAllByRole("slider")).toHaveLength(2);
    const routing = screen.getByRole("group", { name: "Routing" });
    expect(within(routing).getByRole("switch", { name: /Bypass/ }).getAttribute("aria-checked")).toBe("false");
    expect(within(routing).getByRole("combobox", { name: "Mode" })).toBeTruthy();
  });

  it("updates in place on parametersChanged without remounting untouched controls", async () => {
    const engine = renderPanel();
    const user = userEvent.setup();
    const gainSlider = await screen.findByRole("slider", { name: "Gain" });
    gainSlider.focus();

    act(() => {
      // A new parameter lands before Gain and Mix goes away: index keys would
      // hand Gain's DOM node to Drive; id keys must keep it with Gain.
      engine.reload([
        makeParameter({ id: "drive", name: "Drive", min: 0, max: 10, default: 2, group: "Main" }),
        gain,
        bypass,
        mode,
      ]);
    });

    await screen.findByRole("slider", { name: "Drive" });
    expect(screen.queryByRole("slider", { name: "Mix" })).toBeNull();
    expect(screen.getByRole("slider", { name: "Gain" })).toBe(gainSlider);
    expect(document.activeElement).toBe(gainSlider);

    // The surviving control still works after the reload.
    await user.keyboard("{End}");
    await vi.waitFor(() => expect(engine.parameters.get("gain")?.value).toBe(12));
    expect(gainSlider.getAttribute("aria-valuenow")).toBe("12");
  });

  it("rolls a refused value back and says why", async () => {
    const engine = renderPanel();
    const user = userEvent.setup();
    const toggle = await screen.findByRole("switch", { name: /Bypass/ });
    engine.server.handle("setParameter", ({ id }) => {
      throw new RpcFailure(-32001, `value out of range for ${id}`);
    });
    await user.click(toggle);
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", expect.stringContaining("out of range"));
    expect(toggle.getAttribute("aria-checked")).toBe("false");
  });

  it("sends enum choices as the variant index", async () => {
    const engine = renderPanel();
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByRole("combobox", { name: "Mode" }), "Hot");
    await vi.waitFor(() => expect(engine.parameters.get("mode")?.value).toBe(2));
  });

  /** What the server received for `id`, as "method value" lines (value only for sets). */
  function sent(engine: ReturnType<typeof renderPanel>, id: string): string[] {
    return engine.server.requests.flatMap((request) => {
      const params = request.params as { id?: string; value?: number } | undefined;
      if (params?.id !== id) return [];
      return [params.value === undefined ? request.method : `${request.method} ${params.value}`];
    });
  }

  it("wraps a pointer drag in one edit gesture: beginEdit, the values, endEdit", async () => {
    const engine = renderPanel();
    const slider = await screen.findByRole("slider", { name: "Mix" });
    slider.getBoundingClientRect = () => DOMRect.fromRect({ x: 100, y: 0, width: 200, height: 20 });

    fireEvent.pointerDown(slider, { button: 0, clientX: 150, pointerId: 1 });
    fireEvent.pointerMove(slider, { clientX: 200, pointerId: 1 });
    fireEvent.pointerMove(slider, { clientX: 250, pointerId: 1 });
    fireEvent.pointerUp(slider, { clientX: 250, pointerId: 1 });
    await vi.waitFor(() => expect(engine.editing.size).toBe(0));
    await vi.waitFor(() => expect(sent(engine, "mix").at(-1)).toBe("endEdit"));

    // The store sends at most one value per frame, so the moves may be coalesced; the last one always goes.
    const calls = sent(engine, "mix");
    expect(calls[0]).toBe("beginEdit");
    const values = calls.slice(1, -1);
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((call) => call.startsWith("setParameter "))).toBe(true);
    expect(values.at(-1)).toBe("setParameter 0.75");
    expect(engine.parameters.get("mix")?.value).toBe(0.75);
  });

  it("keeps a gesture open while a key repeats and ends it when the key is released", async () => {
    const engine = renderPanel();
    const user = userEvent.setup();
    const slider = await screen.findByRole("slider", { name: "Gain" });
    slider.focus();
    await user.keyboard("{ArrowRight>3}");
    await vi.waitFor(() => expect(engine.editing.has("gain")).toBe(true));
    await user.keyboard("{/ArrowRight}");
    await vi.waitFor(() => expect(sent(engine, "gain").at(-1)).toBe("endEdit"));
    // Repeats within one frame are coalesced into one send; the last value always goes.
    const calls = sent(engine, "gain");
    expect(calls[0]).toBe("beginEdit");
    expect(calls.slice(1, -1).every((call) => /^setParameter (0.72|1.44|2.16)$/.test(call))).toBe(true);
    expect(calls.at(-2)).toBe("setParameter 2.16");
    expect(engine.editing.size).toBe(0);
  });

  it("sends beginEdit, setParameter, endEdit around a toggle flip and a choice", async () => {
    const engine = renderPanel();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("switch", { name: /Bypass/ }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Mode" }), "Warm");
    await vi.waitFor(() => expect(sent(engine, "mode").at(-1)).toBe("endEdit"));
    expect(sent(engine, "bypass")).toEqual(["beginEdit", "setParameter 1", "endEdit"]);
    expect(sent(engine, "mode")).toEqual(["beginEdit", "setParameter 1", "endEdit"]);
    expect(engine.editing.size).toBe(0);
  });

  it("names a switch by its parameter and gives its state as aria-checked", async () => {
    renderPanel();
    const toggle = await screen.findByRole("switch", { name: "Bypass" });
    expect(toggle.getAttribute("aria-checked")).toBe("false");
  });

  it("shows every control inactive while the engine is away, sends nothing, and wakes them on reconnect", async () => {
    const engine = renderPanel();
    const user = userEvent.setup();
    const slider = await screen.findByRole("slider", { name: "Gain" });
    expect(slider.getAttribute("aria-disabled")).toBeNull();

    act(() => engine.server.drop("engine restarting"));
    await vi.waitFor(() => expect(slider.getAttribute("aria-disabled")).toBe("true"));
    expect(screen.getByRole("switch", { name: "Bypass" }).getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByRole<HTMLSelectElement>("combobox", { name: "Mode" }).disabled).toBe(true);
    const before = engine.server.requests.length;
    slider.focus();
    await user.keyboard("{End}");
    await user.click(screen.getByRole("switch", { name: "Bypass" }));
    expect(slider.getAttribute("aria-valuenow")).toBe("0");
    expect(screen.getByRole("switch", { name: "Bypass" }).getAttribute("aria-checked")).toBe("false");

    act(() => engine.server.restore());
    await vi.waitFor(() => expect(slider.getAttribute("aria-disabled")).toBeNull(), { timeout: 5000 });
    expect(engine.server.requests.slice(before).map((request) => request.method)).not.toContain("setParameter");
  });

  it("shows the parameters it is told to as knobs", async () => {
    const engine = createFakeEngine([gain, mix]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <ParameterPanel knobs={["mix"]} />
      </WavecraftProvider>,
    );
    const knob = await screen.findByRole("slider", { name: "Mix" });
    expect(knob.getAttribute("aria-orientation")).toBe("vertical");
    expect(screen.getByRole("slider", { name: "Gain" }).getAttribute("aria-orientation")).toBe("horizontal");
  });
});
