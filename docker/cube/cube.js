// Cube configuration for the cubejs/cube image in docker-compose.yml. The `setup` service
// bundles src/cube/docker-config.ts into dist/ (npm run build:cube-config), so the container
// enforces exactly the tenancy rules that `npm start` does.
module.exports = require('/app/dist/cube-config.cjs').cubeConfig;
