import { createHash } from 'node:crypto';
import { addDelegationColumns, addPrivacyColumns, createActionCatalog, createEventsTable, createMerkleNodesTable, dropExpiresAt, type DdlTarget } from './ddl.js';

export interface ClickhouseMigration {
  version: number;
  name: string;
  statements: (t: DdlTarget) => string[];
}

/** Versioned ClickHouse schema. Append only; never edit an entry that has shipped. */
export const CLICKHOUSE_MIGRATIONS: readonly ClickhouseMigration[] = [
  { version: 1, name: 'events_v1', statements: createEventsTable },
  { version: 2, name: 'merkle_nodes_v1', statements: createMerkleNodesTable },
  { version: 3, name: 'events_v1_privacy', statements: addPrivacyColumns },
  { version: 4, name: 'action_catalog_v1', statements: createActionCatalog },
  { version: 5, name: 'events_v1_delegation', statements: addDelegationColumns },
  { version: 6, name: 'events_v1_drop_expires_at', statements: dropExpiresAt },
];

/** Checksum of the single-node form, recorded when a migration is applied. */
export function migrationChecksum(m: ClickhouseMigration, database: string): string {
  return createHash('sha256').update(m.statements({ database }).join(';\n')).digest('hex');
}
