import { defineConfig } from "vite";

// `npm run dev` proxies the API to LODESTONE_API (default: the mock on 8099; set it to the C++ server,
// e.g. http://127.0.0.1:8080). The build output in dist/ is what `lodestone serve` serves at /.
const api = process.env.LODESTONE_API ?? "http://127.0.0.1:8099";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Vite would inline small assets as data: URLs; CSP allows data: only for images, and fonts or
    // scripts must never be inlined, so keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      "/api": api,
      "/healthz": api,
    },
  },
});
