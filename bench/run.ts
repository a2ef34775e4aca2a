/**
 * `npm run bench [-- NAME...]`: runs every benchmark (or the named ones) and prints one line per
 * measurement with its ratio to a baseline measured in the same run. `--json` prints JSON Lines.
 */
import { benchmarks } from './registry.js';
import { formatResult } from './harness.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const wanted = args.filter((a) => !a.startsWith('--'));
const selected = wanted.length ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks;
if (wanted.length && selected.length !== wanted.length) {
  console.error(`unknown benchmark; available: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
for (const bench of selected) {
  process.stderr.write(`== ${bench.name}: ${bench.description}\n`);
  const results = await bench.run((message) => process.stderr.write(`   ${message}\n`));
  for (const result of results) {
    console.log(json ? JSON.stringify({ benchmark: bench.name, ...result }) : formatResult(result));
  }
}
