import { defineConfig } from "vite";

// Built into dist/, which the API serves at `/`; relative base so it works under any prefix.
// `npm run dev` proxies /graphql to a local `pkb serve` on its default port.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    proxy: { "/graphql": "http://127.0.0.1:8000" },
  },
});
