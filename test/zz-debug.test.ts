import { it } from 'vitest';
import { seedWarehouse } from '../seeds/index.js';
import { createTestDatabase } from './support/database.js';
import { startTestCube } from './support/cube.js';
it('debug', async () => {
  const t = await createTestDatabase();
  await seedWarehouse(t.url, { customers: 3000, seed: 7, until: new Date('2026-11-01T00:00:00Z') });
  const a = await startTestCube(t.url);
  const b = await startTestCube(t.url, { preAggregations: false });
  const tenant = 'acme';
  const q = { measures: ['web_engagement.bounce_rate', 'web_engagement.sessions'], dimensions: ['web_engagement.channel', 'web_engagement.device'], timeDimensions: [{ dimension: 'web_engagement.started_at', dateRange: ['2026-04-01', '2026-09-30'] }] };
  const ra = await a.loadBody(tenant, q); const rb = await b.loadBody(tenant, q);
  console.log(Object.keys(ra.usedPreAggregations), JSON.stringify(ra.data.filter(r => r['web_engagement.channel'] === 'direct')), JSON.stringify(rb.data.filter(r => r['web_engagement.channel'] === 'direct')));
  const { rows } = await t.db.raw(`select device, count(*), count(*) filter (where pageviews=1) b from web_sessions where tenant_id='acme' and channel='direct' and started_at >= '2026-04-01' and started_at < '2026-10-01' group by 1`);
  console.log(JSON.stringify(rows));
  const r = await fetch(`${a.cube.apiUrl}/sql`, { method: 'POST', headers: { Authorization: a.token({ tenant }), 'Content-Type': 'application/json' }, body: JSON.stringify({ query: q }) });
  console.log(JSON.stringify((await r.json()).sql.sql));
  await a.stop(); await b.stop(); await t.drop();
}, 300000);
