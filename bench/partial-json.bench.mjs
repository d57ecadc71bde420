// The partial-JSON parsers side by side: each is fed a JSON answer fragment by fragment and asked
// for the value so far after every fragment, as a UI rendering a structured answer would. Prints
// ns per fragment for answers of 500, 5,000 and 50,000 fragments of 8 characters (4 KB, 40 KB and
// 400 KB); a parser whose cost per fragment grows with the answer is quadratic overall.
// Run: pnpm bench:partial-json (builds first).
import { JSONParser } from '@streamparser/json';
import { parsePartialJson } from 'ai';
import { parse as bestEffortParse } from 'best-effort-json-parser';
import { parse as partialJsonParse } from 'partial-json';
import { PartialJsonParser } from '../packages/core/dist/internal.js';
import { structuredFragments } from './payloads.mjs';

// best-effort-json-parser logs every value it cannot complete to the console.
(await import('best-effort-json-parser')).disableErrorLogging?.();

/** Each contender: a function from the fragments to the last value, reading the value after each one. */
const CONTENDERS = {
  'tokenwire PartialJsonParser (incremental)': (fragments) => {
    const parser = new PartialJsonParser();
    let notes = 0;
    for (const fragment of fragments) if (parser.push(fragment)) notes = parser.value?.notes?.length ?? notes;
    return notes;
  },
  '@streamparser/json (incremental; the partial string is not placed)': (fragments) => {
    const parser = new JSONParser({ emitPartialTokens: true, emitPartialValues: true });
    let root;
    parser.onValue = ({ value, stack }) => {
      root = stack.length > 0 ? (stack[0].value ?? stack[1]?.parent) : value;
    };
    let notes = 0;
    for (const fragment of fragments) {
      parser.write(fragment);
      notes = root?.notes?.length ?? notes;
    }
    return notes;
  },
  'partial-json (re-parses the text)': (fragments) => {
    let text = '';
    let notes = 0;
    for (const fragment of fragments) {
      text += fragment;
      notes = partialJsonParse(text)?.notes?.length ?? notes;
    }
    return notes;
  },
  'best-effort-json-parser (re-parses the text)': (fragments) => {
    let text = '';
    let notes = 0;
    for (const fragment of fragments) {
      text += fragment;
      notes = bestEffortParse(text)?.notes?.length ?? notes;
    }
    return notes;
  },
  'Vercel AI SDK parsePartialJson (re-parses the text)': async (fragments) => {
    let text = '';
    let notes = 0;
    for (const fragment of fragments) {
      text += fragment;
      notes = (await parsePartialJson(text)).value?.notes?.length ?? notes;
    }
    return notes;
  },
};

const SIZES = [500, 5_000, 50_000];
// The parsers that re-parse the text run up to 5,000 fragments: at 50,000 one answer takes minutes.
const reparses = (name) => name.includes('re-parses');
// Each measurement warms up for 0.5 s (V8 needs that long to optimize a parser), then runs until
// 0.5 s and 3 runs have passed; a run longer than that is measured once.
const WARMUP_MS = 500;
const MEASURE_MS = 500;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(contender, fragments) {
  const started = process.hrtime.bigint();
  const notes = await contender(fragments);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, notes };
}

async function measure(contender, fragments) {
  for (let spent = 0; spent < WARMUP_MS; ) spent += (await timed(contender, fragments)).ms;
  const times = [];
  let notes;
  for (let spent = 0; times.length < 3 || spent < MEASURE_MS; ) {
    const run = await timed(contender, fragments);
    if (run.ms > MEASURE_MS && times.length > 0) break;
    times.push((run.ms * 1e6) / fragments.length);
    spent += run.ms;
    notes = run.notes;
  }
  return { nsPerFragment: median(times), notes };
}

const rows = [];
for (const [name, contender] of Object.entries(CONTENDERS)) {
  const row = { name, cells: [] };
  for (const size of SIZES) {
    const fragments = structuredFragments(size);
    if (size > 5_000 && reparses(name)) {
      row.cells.push(undefined);
      continue;
    }
    row.cells.push(await measure(contender, fragments));
    process.stderr.write(`${name}: ${size} fragments done\n`);
  }
  rows.push(row);
}

const expectedNotes = SIZES.map((size) => JSON.parse(structuredFragments(size).join('')).notes.length);
const format = (cell, index) => {
  if (cell === undefined) return 'skipped (quadratic)';
  const wrong = cell.notes !== expectedNotes[index] ? ` ⚠ saw ${cell.notes} notes` : '';
  return `${Math.round(cell.nsPerFragment).toLocaleString('en')}${wrong}`;
};
console.log(
  `Node ${process.version}; ns per fragment, median of the runs of 0.5 s (at least 3; one for a run longer than that) after a 0.5 s warm-up.\n`,
);
console.log('| parser | 500 fragments (4 KB) | 5,000 (40 KB) | 50,000 (400 KB) | 50,000 ÷ 5,000 |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const { name, cells } of rows) {
  const growth = cells[2] && cells[1] ? (cells[2].nsPerFragment / cells[1].nsPerFragment).toFixed(2) : '–';
  console.log(`| ${name} | ${cells.map(format).join(' | ')} | ${growth} |`);
}
