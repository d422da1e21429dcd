import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app is built into web/dist and served by the hoso server (src/platform/http/app.ts).
 * In development, `vite --config web/vite.config.ts` proxies the API to a running `hoso serve`
 * (HOSO_API_URL, default http://127.0.0.1:3000) so cookies stay same-origin.
 */
export default defineConfig({
  root: webRoot,
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: process.env.HOSO_API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
