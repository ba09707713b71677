import type { AudioStatus } from "@wavecraft/core";
import { describe, expect, it } from "vitest";
import { describeAudio } from "./describeAudio";

const running: AudioStatus = {
  backend: "virtual",
  state: "running",
  sampleRate: 48000,
  blockSize: 512,
  deviceName: null,
  message: null,
};

describe("describeAudio", () => {
  it("explains why audio is off", () => {
    const off: AudioStatus = {
      ...running,
      backend: "off",
      state: "stopped",
      sampleRate: null,
      blockSize: null,
      message: "no output device",
    };
    expect(describeAudio(off)).toBe("Audio off — no output device");
  });

  it("names the device and its format", () => {
    expect(describeAudio({ ...running, backend: "device", deviceName: "USB Audio" })).toBe(
      "Audio running: USB Audio · 48000 Hz · 512 frames",
    );
  });
});
