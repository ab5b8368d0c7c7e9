// Vite builds the app into web/dist, which the gateway serves (config web.root, set by
// scripts/start). `npm run dev` serves it with hot reload and sends /api to a running Herald
// (HERALD_URL, default http://127.0.0.1:8080), WebSocket included.
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

const herald = process.env.HERALD_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/api": { target: herald, ws: true, changeOrigin: false } } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
