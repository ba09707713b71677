import { WavecraftProvider } from "@wavecraft/core";
import { RpcFailure, createFakeEngine, makeParameter } from "@wavecraft/core/testing";
import { act, render, screen, within } from "@testing-library/react";
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
});
