// Generated from the ownership table in docs/architecture.md (see scripts/module-boundaries.mjs).
// Run by src/module-boundaries.spec.ts in `npm test`; by hand: npx depcruise src
import { fileURLToPath } from 'node:url';
import { dependencyCruiserConfig } from './scripts/module-boundaries.mjs';

export default dependencyCruiserConfig(fileURLToPath(new URL('.', import.meta.url)));
