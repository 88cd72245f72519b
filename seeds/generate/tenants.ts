import type { TableSource } from '../table.js';

export const tenants: TableSource = {
  table: 'tenants',
  columns: ['id', 'name', 'business_model', 'created_at'],
  open: (population) => ({
    units: population.tenants.length,
    write(unit, sink) {
      const { profile } = population.tenants[unit]!;
      // Set explicitly: the column's default, now(), would make two loads differ.
      const createdAt = population.calendar.timestamp(population.calendar.start);
      sink.push(`${profile.id}\t${profile.name}\t${profile.businessModel}\t${createdAt}\n`);
    },
  }),
};
