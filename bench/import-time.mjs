// Cold import time, in a fresh `node` process per measurement (run by run-all.mjs). With several
// names, they are imported one after the other and each one's own time is reported: `openai
// @tokenwire/openai` gives what the adapter adds once its SDK is loaded.
//   node bench/import-time.mjs <package name>...   prints { "ms": [ … ] }
const ms = [];
for (const name of process.argv.slice(2)) {
  const started = performance.now();
  await import(name);
  ms.push(performance.now() - started);
}
console.log(JSON.stringify({ ms }));
process.exit(0);
