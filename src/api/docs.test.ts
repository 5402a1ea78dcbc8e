import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../system/version.js';
import { renderApiDocs } from './docs.js';
import { registry } from './registry.js';

describe('docs/api.md', () => {
  it('matches the registry (run `npm run docs:api` after changing a procedure)', () => {
    const onDisk = readFileSync(join(PACKAGE_ROOT, 'docs', 'api.md'), 'utf8');
    expect(onDisk).toBe(renderApiDocs(registry));
  });

  it('documents every procedure with its permission', () => {
    const docs = renderApiDocs(registry);
    for (const procedure of Object.values(registry)) {
      expect(docs).toContain(`### ${procedure.name}`);
      expect(docs).toContain(`\`${procedure.permission}\``);
    }
  });
});
