// Cold import time, in a fresh `node` process per measurement (run by run-all.mjs). With several
// names, they are imported one after the other and each one's own time is reported: `openai
// @tokenwire/openai` gives what the adapter adds once its SDK is loaded.
//   node bench/import-time.mjs <package name>...   prints { "ms": [ … ] }
// Between two imports the process waits 100 ms and collects garbage (run with --expose-gc):
// `await import()` of an SDK resolves while the SDK still has work queued (openai and ollama finish
// loading shims afterwards), and that work, or a collection of the SDK's garbage, would otherwise
// be counted against the next package.
const ms = [];
for (const [index, name] of process.argv.slice(2).entries()) {
  if (index > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc?.();
  }
  const started = performance.now();
  await import(name);
  ms.push(performance.now() - started);
}
console.log(JSON.stringify({ ms }));
process.exit(0);
