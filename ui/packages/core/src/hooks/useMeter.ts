/**
 * useMeter: the latest pushed meter frame. The server pushes ~30 frames a
 * second; nothing here polls. While the link is down there is no frame.
 */
import { useEffect, useState } from "react";
import { useBridge } from "../context";
import { NOTIFICATIONS, type MeterUpdate } from "../wire";

/** The most recent `meterUpdate` (linear peak/RMS per channel), or null. */
export function useMeter(): MeterUpdate | null {
  const bridge = useBridge();
  const [frame, setFrame] = useState<MeterUpdate | null>(null);
  useEffect(() => {
    const stops = [
      bridge.on(NOTIFICATIONS.meterUpdate, setFrame),
      bridge.onStateChange((state) => {
        if (state !== "open") setFrame(null);
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [bridge]);
  return frame;
}
