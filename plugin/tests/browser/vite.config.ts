import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const icons = path.join(path.dirname(createRequire(import.meta.url).resolve('@grafana/ui/package.json')), 'dist/public/img/icons');

/**
 * Grafana serves @grafana/ui's icons under /public/build/img/icons and its fonts under
 * /public/fonts. The icons ship in the npm package, so serve them; the fonts do not, so the
 * page falls back to system fonts (answered 404 without Vite's public-dir warning).
 */
function grafanaPublic(): Plugin {
  return {
    name: 'grafana-public',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        if (!url.startsWith('/public/')) return next();
        const file = url.startsWith('/public/build/img/icons/')
          ? path.join(icons, url.slice('/public/build/img/icons/'.length).split('?')[0]!)
          : undefined;
        if (file && file.startsWith(icons) && fs.existsSync(file)) {
          res.setHeader('Content-Type', 'image/svg+xml');
          res.end(fs.readFileSync(file));
          return;
        }
        res.statusCode = 404;
        res.end();
      });
    },
  };
}

/** A page that mounts the real panel and editor components with @grafana/ui's theme. */
export default defineConfig({
  root: here,
  logLevel: 'warn',
  plugins: [grafanaPublic()],
  server: { fs: { allow: [path.resolve(here, '../../..')] } },
  define: { 'process.env.NODE_ENV': JSON.stringify('development') },
});
