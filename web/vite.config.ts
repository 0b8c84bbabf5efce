import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Console build: `vite build --config web/vite.config.ts` writes web/dist/index.html
 * and hashed assets under web/dist/assets/. The server serves that folder under a strict
 * CSP, so nothing here may produce inline scripts or styles.
 */
const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Puts the `early` entry (src/early.ts: starts the session and secrets requests) into
 * index.html as a module script before the main one. Module scripts run in document order,
 * each once its own imports have loaded: this one needs a few kilobytes, the main one all
 * of the console, so the requests start while the rest is still on its way.
 */
function earlyRequestsScript(): Plugin {
  return {
    name: 'hush-early-requests-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early');
        const main = html.indexOf('<script type="module"');
        if (!chunk || main < 0) throw new Error('index.html: no early entry (src/early.ts) or main script to put it before');
        return `${html.slice(0, main)}<script type="module" crossorigin src="/${chunk.fileName}"></script>\n    ${html.slice(main)}`;
      },
    },
  };
}

/**
 * Writes `<file>.br` and `<file>.gz` next to every emitted script and stylesheet of 1 KiB
 * or more: the server sends them to browsers that accept them (@fastify/static's
 * `preCompressed`), so the first load moves about a third of the bytes without
 * compressing on every request. (A dozen lines over node:zlib; a compression plugin
 * dependency would add a package for no extra behaviour.)
 */
function precompressAssets(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'hush-precompress-assets',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir!;
      const files = Object.keys(bundle).filter((f) => /\.(?:js|css)$/.test(f));
      await Promise.all(
        files.map(async (f) => {
          const file = path.join(outDir, f);
          const bytes = await fs.readFile(file);
          if (bytes.length < 1024) return;
          const [b, g] = await Promise.all([
            br(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
            gz(bytes, { level: 9 }),
          ]);
          await Promise.all([fs.writeFile(`${file}.br`, b), fs.writeFile(`${file}.gz`, g)]);
        }),
      );
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: 'public',
  plugins: [react(), earlyRequestsScript(), precompressAssets()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Every supported browser has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { index: fileURLToPath(new URL('index.html', import.meta.url)), early: fileURLToPath(new URL('src/early.ts', import.meta.url)) },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development; the API runs separately.
    proxy: { '/v1': { target: process.env.HUSH_API_URL ?? 'http://127.0.0.1:8080' } },
  },
});
