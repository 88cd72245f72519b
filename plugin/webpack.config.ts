/**
 * Production build in the layout @grafana/create-plugin produces: an AMD module per plugin
 * (the app's src/module.ts and each nested plugin's module.ts), Grafana's shared libraries as
 * externals, plugin.json with version and date filled in, images, dashboards and README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';

const root = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(root, 'src');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const appId = (JSON.parse(fs.readFileSync(path.join(src, 'plugin.json'), 'utf8')) as { id: string }).id;

/** src/module.ts → "module", src/panels/kpi/module.ts → "panels/kpi/module". */
function entries(): Record<string, string> {
  const found = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === 'module.ts');
  return Object.fromEntries(found.map((f) => [f.replace(/\.ts$/, ''), path.join(src, f)]));
}

// Grafana provides these at run time; bundling them would load a second React or @grafana/ui.
const externals = [
  'react',
  'react-dom',
  'rxjs',
  'lodash',
  'moment',
  '@emotion/css',
  '@emotion/react',
  /^@grafana\/(data|ui|runtime|i18n)(\/.*)?$/,
];

export default (env: Record<string, unknown>): Configuration => {
  const production = Boolean(env.production);
  return {
    mode: production ? 'production' : 'development',
    context: root,
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: entries(),
    externals,
    output: {
      path: path.join(root, 'dist'),
      filename: '[name].js',
      library: { type: 'amd' },
      publicPath: `public/plugins/${appId}/`,
      uniqueName: appId,
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.json'],
      // The shared contract package is TypeScript imported as source, with NodeNext-style `.js` specifiers.
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
    module: {
      rules: [
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                baseUrl: src,
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true, decorators: false },
                transform: { react: { runtime: 'classic' } },
              },
            },
          },
        },
      ],
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          {
            from: '**/plugin.json',
            context: src,
            transform: (content) =>
              content
                .toString()
                .replace(/%VERSION%/g, pkg.version)
                .replace(/%TODAY%/g, new Date().toISOString().slice(0, 10)),
          },
          { from: '**/img/*', context: src },
          { from: 'dashboards/*.json', context: src },
          { from: 'README.md', context: root },
          { from: 'CHANGELOG.md', context: root },
          { from: '../LICENSE', context: root, to: 'LICENSE', toType: 'file' },
        ],
      }),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
