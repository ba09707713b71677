/** Entry point: one WavecraftProvider (WebSocket to the dev server) around the app. */
import "@wavecraft/components/styles.css";
import "./app.css";
import { WavecraftProvider } from "@wavecraft/core";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <WavecraftProvider>
      <App />
    </WavecraftProvider>
  </StrictMode>,
);
