/**
 * Vite (and Vitest) config for this plugin's UI. `wavecraft start` runs
 * `npm run dev -- --port <uiPort> --strictPort --host 127.0.0.1` here and
 * passes the dev server's WebSocket URL as VITE_WAVECRAFT_WS_URL.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  resolve: {
    // @wavecraft/* are `file:` links into the SDK checkout. Keeping the link
    // path (not the SDK path) makes their `import "react"` resolve from this
    // project's node_modules, so the page has exactly one React.
    preserveSymlinks: true,
    dedupe: ["react", "react-dom"],
  },
  // Served as source, never pre-bundled: Vite keys its dependency cache on
  // the lockfile, which does not change when the SDK checkout does, so a
  // pre-bundled copy would go stale. (Edits to the SDK packages are picked
  // up on the next dev-server start; Vite does not watch node_modules.)
  optimizeDeps: { exclude: ["@wavecraft/core", "@wavecraft/components"] },
  server: { host: "127.0.0.1" },
  test: {
    environment: "jsdom",
    setupFiles: ["./vitest.setup.ts"],
    restoreMocks: true,
  },
});
