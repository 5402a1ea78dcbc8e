// Generates docs/api.md from the registry, so the reference can never drift from the code.
import { LIMITS } from './limits.js';
import type { ProcedureRegistry } from './procedure.js';
import { describeProcedures } from '../system/procedures.js';
import { API_ERROR_CODES, httpStatusFor } from './errors.js';

export function renderApiDocs(registry: ProcedureRegistry): string {
  const procedures = describeProcedures(registry);
  const lines: string[] = [
    '# Hearth API reference',
    '',
    '<!-- Generated from src/api/registry.ts by `npm run docs:api`. Do not edit by hand; a test fails when it is stale. -->',
    '',
    'Every procedure is reachable in the same way from every front:',
    '',
    '- HTTP: `POST /api/rpc/<procedure>` with the input as a JSON body (`Content-Type: application/json`) and a session',
    '  cookie or `Authorization: Bearer <token>`. Success is `200` with the result as JSON; an error is',
    '  `{"error":{"code","message","details"}}` with a 4xx status (5xx only for `INTERNAL` and `UNAVAILABLE`).',
    "- Command line: `hearth call <procedure> '<json>'` prints the result as JSON and exits 0; an API error prints",
    '  `{"error":…}` and exits 1; a usage error exits 2.',
    '- Desktop: `window.hearth.call(procedure, input)` in the renderer.',
    '- Change events: a WebSocket at `/api/events` (or `window.hearth.onEvent`) announces committed changes.',
    '',
    '## Error codes',
    '',
    '| code | HTTP status |',
    '| --- | --- |',
    ...API_ERROR_CODES.map((code) => `| \`${code}\` | ${httpStatusFor(code)} |`),
    '',
    '## Input limits',
    '',
    '| limit | value |',
    '| --- | --- |',
    `| request body | ${LIMITS.bodyBytes} bytes (larger: HTTP 413, \`VALIDATION\`) |`,
    `| short text (names, titles, labels, codes) | ${LIMITS.shortText} characters |`,
    `| medium text (URLs, addresses) | ${LIMITS.mediumText} characters |`,
    `| long text (notes, bodies) | ${LIMITS.longText} characters |`,
    `| items in a list | ${LIMITS.listItems} |`,
    `| nesting of free-form values such as \`custom\` | ${LIMITS.freeFormDepth} levels, ${LIMITS.freeFormKeys} keys |`,
    `| nesting of any input | ${LIMITS.inputDepth} levels |`,
    '',
    '## Procedures',
    '',
    '| procedure | permission | mutates | summary |',
    '| --- | --- | --- | --- |',
    ...procedures.map(
      (p) =>
        `| [\`${p.name}\`](#${p.name.replace(/\./g, '')}) | \`${p.permission}\` | ${p.mutates ? 'yes' : 'no'} | ${p.summary} |`,
    ),
    '',
  ];
  for (const p of procedures) {
    lines.push(
      `### ${p.name}`,
      '',
      p.summary,
      '',
      `Permission \`${p.permission}\`; ${p.mutates ? 'mutates (one transaction, audited, announced as a change event)' : 'read-only'}.`,
      '',
      'Input (JSON Schema):',
      '',
      '```json',
      JSON.stringify(stripSchemaUri(p.input), null, 2),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

function stripSchemaUri(schema: unknown): unknown {
  if (schema && typeof schema === 'object' && '$schema' in schema) {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { $schema, ...rest } = schema as Record<string, unknown>;
    return rest;
  }
  return schema;
}
