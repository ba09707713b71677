import { WavecraftProvider, type ChannelMeter } from "@wavecraft/core";
import { createFakeEngine, type FakeEngine } from "@wavecraft/core/testing";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Profiler } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Meter } from "./Meter";
import { METER_PEAK_HOLD_MS, METER_RELEASE_DB_PER_S } from "./meterBallistics";

/** Commits of the Meter's tree so far. */
let commits = 0;

async function renderMeter() {
  const engine = createFakeEngine([]);
  render(
    <WavecraftProvider transport={engine.transport}>
      <Profiler id="meter" onRender={() => (commits += 1)}>
        <Meter />
      </Profiler>
    </WavecraftProvider>,
  );
  await act(() => vi.advanceTimersByTimeAsync(0));
  expect(engine.server.connected).toBe(true);
  return engine;
}

/** Pushes one meter frame and lets it arrive (no animation frame runs). */
async function push(engine: FakeEngine, channels: ChannelMeter[]) {
  act(() => {
    engine.server.notify("meterUpdate", { channels });
  });
  await act(() => vi.advanceTimersByTimeAsync(0));
}

/** Lets `ms` of animation frames run. */
async function wait(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

/** The text of a channel's readout ("Peak" or "RMS"). */
function readout(channel: HTMLElement, term: "Peak" | "RMS"): string | null | undefined {
  return within(channel).getByText(term).nextElementSibling?.textContent;
}

beforeEach(() => {
  vi.useFakeTimers();
  commits = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Meter", () => {
  it("shows a rising level at once, in dBFS, for every channel", async () => {
    const engine = await renderMeter();
    expect(screen.getByText("No signal")).toBeTruthy();

    await push(engine, [{ peak: 0.5, rms: 0.25 }, { peak: 0, rms: 0 }]);

    const left = screen.getByRole("group", { name: "Channel 1" });
    expect(readout(left, "Peak")).toBe("-6.0 dB");
    expect(readout(left, "RMS")).toBe("-12.0 dB");
    expect(readout(screen.getByRole("group", { name: "Channel 2" }), "RMS")).toBe("-∞ dB");
  });

  it("lets a falling level down at the stated release rate", async () => {
    const engine = await renderMeter();
    await push(engine, [{ peak: 0.5, rms: 0.25 }]);
    await push(engine, [{ peak: 0.5, rms: 0.025 }]);
    const channel = screen.getByRole("group", { name: "Channel 1" });
    expect(readout(channel, "RMS")).toBe("-12.0 dB");

    await wait(500);
    // 24 dB/s for half a second: 12 dB below where it was, within one animation frame.
    const shown = Number.parseFloat(readout(channel, "RMS") ?? "");
    expect(METER_RELEASE_DB_PER_S).toBe(24);
    expect(shown).toBeLessThanOrEqual(-12 - 0.48 * 24);
    expect(shown).toBeGreaterThanOrEqual(-12 - 0.52 * 24);

    await wait(1000);
    expect(readout(channel, "RMS")).toBe("-32.0 dB");
  });

  it("holds the highest peak for the stated time, then lets it fall to the peak", async () => {
    const engine = await renderMeter();
    await push(engine, [{ peak: 0.5, rms: 0.1 }]);
    await push(engine, [{ peak: 0.05, rms: 0.01 }]);
    const channel = screen.getByRole("group", { name: "Channel 1" });

    expect(METER_PEAK_HOLD_MS).toBe(1500);
    await wait(METER_PEAK_HOLD_MS - 50);
    expect(readout(channel, "Peak")).toBe("-6.0 dB");
    await wait(50 + 250);
    const falling = Number.parseFloat(readout(channel, "Peak") ?? "");
    expect(falling).toBeLessThan(-6 - 0.2 * 24);
    expect(falling).toBeGreaterThan(-6 - 0.3 * 24);

    await wait(2000);
    expect(readout(channel, "Peak")).toBe("-26.0 dB");
    // A new higher peak takes the hold back up at once.
    await push(engine, [{ peak: 1 / 3, rms: 0.01 }]);
    expect(readout(channel, "Peak")).toBe("-9.5 dB");
  });

  it("animates between pushes without rendering again, and stops when nothing moves", async () => {
    const engine = await renderMeter();
    await push(engine, [{ peak: 0.5, rms: 0.25 }]);
    await push(engine, [{ peak: 0.01, rms: 0.01 }]);
    const channel = screen.getByRole("group", { name: "Channel 1" });
    const before = commits;
    const seen = new Set<string>();
    for (let step = 0; step < 80; step += 1) {
      await wait(50);
      seen.add(readout(channel, "RMS") ?? "");
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(commits).toBe(before);
    expect(readout(channel, "RMS")).toBe("-40.0 dB");
    const frames = vi.spyOn(window, "requestAnimationFrame");
    await wait(500);
    expect(frames).not.toHaveBeenCalled();
  });

  it("holds the clip indicator after the peak falls, until it is clicked", async () => {
    const engine = await renderMeter();
    await push(engine, [{ peak: 1.2, rms: 0.7 }]);
    const channel = screen.getByRole("group", { name: "Channel 1" });
    await push(engine, [{ peak: 0.1, rms: 0.05 }]);
    await wait(3000);
    expect(readout(channel, "Peak")).toBe("-20.0 dB");
    const clip = within(channel).getByRole("button", { name: /clipped, click to reset/ });
    expect(clip.getAttribute("aria-pressed")).toBe("true");

    // Testing Library waits on real timers around user-event's steps.
    vi.useRealTimers();
    await userEvent.setup().click(clip);
    expect(within(channel).getByRole("button", { name: /not clipped/ }).getAttribute("aria-pressed")).toBe("false");
  });
});
