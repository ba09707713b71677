/**
 * Meter: peak and RMS level per channel from the pushed meter frames, in
 * dBFS, with ballistics (a rise shows at once, a fall is slowed to
 * `releaseDbPerSecond`, 24 dB/s by default), a peak hold (the highest peak
 * stays for `peakHoldMs`, 1.5 s by default, then falls at the release rate)
 * and a clip indicator that stays lit once a peak reaches full scale until
 * someone clicks it.
 *
 * Frames arrive ~30 times a second through `useMeter`; the movement between
 * them is drawn on animation frames by writing the bars and readouts
 * directly, so React renders once per push, never once per animation frame,
 * and the loop stops when nothing moves. The "Peak" readout shows the held
 * peak, "RMS" the shown RMS.
 */
import { formatDb, linearToDb, useMeter, type ChannelMeter } from "@wavecraft/core";
import { useLayoutEffect, useRef, useState } from "react";
import {
  METER_PEAK_HOLD_MS,
  METER_RELEASE_DB_PER_S,
  advance,
  initialLevel,
  settled,
  type BallisticsOptions,
  type ShownLevel,
  type TargetLevel,
} from "./meterBallistics";

/** Props of Meter. */
export interface MeterProps {
  /** The level shown as an empty bar, in dBFS (default -60). */
  floorDb?: number;
  /** Accessible name of the meter group. */
  label?: string;
  /** How fast shown levels fall, in dB per second (default 24). */
  releaseDbPerSecond?: number;
  /** How long the peak hold stays before it falls, in ms (default 1500). */
  peakHoldMs?: number;
}

const fraction = (db: number, floorDb: number): string =>
  `${Math.max(0, Math.min(1, (db - floorDb) / -floorDb)) * 100}%`;

/** Writes `text` into `element` unless it is there already. */
function setText(element: Element | null, text: string): void {
  if (element && element.textContent !== text) element.textContent = text;
}

/** Draws one channel's shown level into its DOM. */
function paint(root: HTMLElement, shown: ShownLevel, floorDb: number): void {
  const part = (name: string) => root.querySelector<HTMLElement>(`.wc-meter__${name}`);
  const rms = part("rms");
  const peak = part("peak");
  const hold = part("hold");
  if (rms) rms.style.width = fraction(shown.rmsDb, floorDb);
  if (peak) peak.style.width = fraction(shown.peakDb, floorDb);
  if (hold) {
    hold.style.left = fraction(shown.holdDb, floorDb);
    hold.style.visibility = shown.holdDb > floorDb ? "visible" : "hidden";
  }
  setText(root.querySelector("[data-readout=peak]"), formatDb(shown.holdDb));
  setText(root.querySelector("[data-readout=rms]"), formatDb(shown.rmsDb));
}

/** The animation of one Meter: targets from the latest push, shown levels, the channels' DOM, the pending frame. */
interface Animation {
  targets: TargetLevel[];
  shown: ShownLevel[];
  roots: (HTMLElement | null)[];
  lastMs: number;
  frame: number | null;
}

/** Level meters for every channel of the latest frame. */
export function Meter({
  floorDb = -60,
  label = "Output level",
  releaseDbPerSecond = METER_RELEASE_DB_PER_S,
  peakHoldMs = METER_PEAK_HOLD_MS,
}: MeterProps) {
  const frame = useMeter();
  const channels = frame?.channels ?? [];
  const [held, setHeld] = useState<readonly boolean[]>([]);
  const animation = useRef<Animation>({ targets: [], shown: [], roots: [], lastMs: 0, frame: null });

  // Latch clips as frames arrive (state derived during render, no effect).
  if (channels.some((channel, index) => channel.peak >= 1 && held[index] !== true)) {
    setHeld(channels.map((channel, index) => held[index] === true || channel.peak >= 1));
  }

  useLayoutEffect(() => {
    const options: BallisticsOptions = { floorDb, releaseDbPerSecond, peakHoldMs };
    const state = animation.current;
    /** Advances every channel to now, draws it, and asks for another frame while anything moves. */
    const tick = () => {
      state.frame = null;
      const now = performance.now();
      const elapsed = now - state.lastMs;
      state.lastMs = now;
      state.shown = state.shown.map((shown, index) => {
        const target = state.targets[index];
        if (!target) return shown;
        const next = advance(shown, target, elapsed, options);
        const root = state.roots[index];
        if (root) paint(root, next, floorDb);
        return next;
      });
      const moving = state.shown.some((shown, index) => {
        const target = state.targets[index];
        return target !== undefined && !settled(shown, target);
      });
      if (moving) state.frame = requestAnimationFrame(tick);
    };

    const targets = (frame?.channels ?? []).map((channel: ChannelMeter) => ({
      peakDb: linearToDb(channel.peak),
      rmsDb: linearToDb(channel.rms),
    }));
    if (state.frame === null) state.lastMs = performance.now();
    state.targets = targets;
    state.shown = targets.map((target, index) => state.shown[index] ?? initialLevel(target));
    if (state.frame !== null) cancelAnimationFrame(state.frame);
    tick();
  }, [frame, floorDb, releaseDbPerSecond, peakHoldMs]);

  useLayoutEffect(() => {
    const state = animation.current;
    return () => {
      if (state.frame !== null) cancelAnimationFrame(state.frame);
      state.frame = null;
    };
  }, []);

  const reset = (index: number) => {
    setHeld((previous) => previous.map((value, at) => (at === index ? false : value)));
  };

  return (
    <div className="wc-meter" role="group" aria-label={label}>
      {channels.length === 0 && <span className="wc-meter__idle">No signal</span>}
      {channels.map((_, index) => (
        <MeterChannel
          // Channels are positional: index is their identity.
          key={index}
          name={`Channel ${index + 1}`}
          rootRef={(element) => {
            animation.current.roots[index] = element;
          }}
          clipped={held[index] === true}
          onResetClip={() => reset(index)}
        />
      ))}
    </div>
  );
}

interface MeterChannelProps {
  name: string;
  /** Receives the channel's element, which the animation draws into. */
  rootRef: (element: HTMLDivElement | null) => void;
  clipped: boolean;
  onResetClip: () => void;
}

/** One channel's bars, readouts and clip light; its levels are drawn by the Meter's animation. */
function MeterChannel({ name, rootRef, clipped, onResetClip }: MeterChannelProps) {
  return (
    <div ref={rootRef} className="wc-meter__channel" role="group" aria-label={name}>
      <div className="wc-meter__bar" aria-hidden="true">
        <div className="wc-meter__peak" />
        <div className="wc-meter__rms" />
        <div className="wc-meter__hold" />
      </div>
      <dl className="wc-meter__readout">
        <dt>Peak</dt>
        <dd data-readout="peak" />
        <dt>RMS</dt>
        <dd data-readout="rms" />
      </dl>
      <button
        type="button"
        className={clipped ? "wc-meter__clip wc-meter__clip--on" : "wc-meter__clip"}
        aria-pressed={clipped}
        aria-label={clipped ? `${name} clipped, click to reset` : `${name} not clipped`}
        disabled={!clipped}
        onClick={onResetClip}
      >
        CLIP
      </button>
    </div>
  );
}
