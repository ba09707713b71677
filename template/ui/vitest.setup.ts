import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Unmount what each test rendered, so providers stop their bridges.
afterEach(() => {
  cleanup();
});
