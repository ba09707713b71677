import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `wavecraft start` runs this dev server and passes VITE_WAVECRAFT_WS_URL.
export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", strictPort: false },
});
