// `npm run docs:api`: rewrites docs/api.md from the registry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../system/version.js';
import { renderApiDocs } from './docs.js';
import { registry } from './registry.js';

const file = join(PACKAGE_ROOT, 'docs', 'api.md');
writeFileSync(file, renderApiDocs(registry));
process.stdout.write(`Wrote ${file}\n`);
