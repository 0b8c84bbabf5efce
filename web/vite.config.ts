import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Console build: `vite build --config web/vite.config.ts` writes web/dist/index.html
 * and hashed assets under web/dist/assets/. The server serves that folder under a strict
 * CSP, so nothing here may produce inline scripts or styles.
 */
const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Every supported browser has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development; the API runs separately.
    proxy: { '/v1': { target: process.env.HUSH_API_URL ?? 'http://127.0.0.1:8080' } },
  },
});
