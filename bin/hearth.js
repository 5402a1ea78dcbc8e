#!/usr/bin/env node
// Entry point of the `hearth` command: runs the compiled CLI (built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'hearth: the command is not built yet. Run `npm run build` (npm install does it) and try again.\n',
  );
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
const code = await main(process.argv);
process.exitCode = code;
