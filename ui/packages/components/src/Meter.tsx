/**
 * Meter: peak and RMS level per channel from the pushed meter frames, in
 * dBFS, with a clip indicator that stays lit once a peak reaches full scale
 * until someone clicks it.
 */
import { formatDb, linearToDb, useMeter, type ChannelMeter } from "@wavecraft/core";
import { useState } from "react";

/** Props of Meter. */
export interface MeterProps {
  /** The level shown as an empty bar, in dBFS (default -60). */
  floorDb?: number;
  /** Accessible name of the meter group. */
  label?: string;
}

const barWidth = (db: number, floorDb: number): string =>
  `${Math.max(0, Math.min(1, (db - floorDb) / -floorDb)) * 100}%`;

/** Level meters for every channel of the latest frame. */
export function Meter({ floorDb = -60, label = "Output level" }: MeterProps) {
  const frame = useMeter();
  const channels = frame?.channels ?? [];
  const [held, setHeld] = useState<readonly boolean[]>([]);

  // Latch clips as frames arrive (state derived during render, no effect).
  if (channels.some((channel, index) => channel.peak >= 1 && held[index] !== true)) {
    setHeld(channels.map((channel, index) => held[index] === true || channel.peak >= 1));
  }

  const reset = (index: number) => {
    setHeld((previous) => previous.map((value, at) => (at === index ? false : value)));
  };

  return (
    <div className="wc-meter" role="group" aria-label={label}>
      {channels.length === 0 && <span className="wc-meter__idle">No signal</span>}
      {channels.map((channel, index) => (
        <MeterChannel
          // Channels are positional: index is their identity.
          key={index}
          name={`Channel ${index + 1}`}
          channel={channel}
          floorDb={floorDb}
          clipped={held[index] === true}
          onResetClip={() => reset(index)}
        />
      ))}
    </div>
  );
}

interface MeterChannelProps {
  name: string;
  channel: ChannelMeter;
  floorDb: number;
  clipped: boolean;
  onResetClip: () => void;
}

function MeterChannel({ name, channel, floorDb, clipped, onResetClip }: MeterChannelProps) {
  const peakDb = linearToDb(channel.peak);
  const rmsDb = linearToDb(channel.rms);
  return (
    <div className="wc-meter__channel" role="group" aria-label={name}>
      <div className="wc-meter__bar" aria-hidden="true">
        <div className="wc-meter__rms" style={{ width: barWidth(rmsDb, floorDb) }} />
        <div className="wc-meter__peak" style={{ left: barWidth(peakDb, floorDb) }} />
      </div>
      <dl className="wc-meter__readout">
        <dt>Peak</dt>
        <dd>{formatDb(peakDb)}</dd>
        <dt>RMS</dt>
        <dd>{formatDb(rmsDb)}</dd>
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
