#!/usr/bin/env node
// `npx @tokenwire/gateway --config gateway.json`: see cli-main.ts.
import { runCli } from './cli-main.js';

runCli(process.argv.slice(2), { log: console.log }).then(
  (server) => {
    if (server === undefined) return;
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
