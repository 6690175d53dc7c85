// Vite build and dev server of the staff console: served under /console/, the dev server proxies the API to `npm start`.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Where `npm run console:dev` finds the API (`npm start` on its default port unless CONSOLE_API_URL says otherwise). */
const apiUrl = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000';

/** The dev server answers the runtime config the local stack serves: local sign-in against the proxied API. */
const localConfig = (): Plugin => ({
  name: 'console-local-config',
  configureServer(server) {
    server.middlewares.use('/console/config.json', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ mode: 'local' }));
    });
  },
});

export default defineConfig({
  base: '/console/',
  root: import.meta.dirname,
  plugins: [react(), localConfig()],
  // The manifest lets the bench measure first-load JavaScript (entry + static imports) and find the lazy reports chunk.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, manifest: true, chunkSizeWarningLimit: 2000 },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    proxy: { '/v1': apiUrl, '/local': apiUrl },
  },
});
