/**
 * The console's build: static assets in console/dist that the sidecar serves at `/`. ECharts
 * and every page are split off the shell (dynamic imports), so the first load stays small
 * (console/weight.test.ts holds it to 300 KB gzipped).
 */
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  // `npx vite --config console/vite.config.ts` for development: the API goes to a running sidecar.
  server: {
    proxy: { "/console/api": { target: process.env.AISRE_SIDECAR_URL ?? "http://127.0.0.1:8080" } },
  },
  // No inline script may be emitted: the sidecar's CSP is script-src 'self'.
  build: {
    outDir: `${root}/dist`,
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: "echarts", test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
});
