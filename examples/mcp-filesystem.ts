// An agent with the tools of an MCP server: the reference filesystem server, on a temp folder, its
// tools named fs_…, run by tokenwire between the model's steps. Run: pnpm example mcp-filesystem [--live]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenwire } from '@tokenwire/core';
import { mcpTools } from '@tokenwire/mcp';

const folder = mkdtempSync(join(tmpdir(), 'tokenwire-mcp-'));
writeFileSync(join(folder, 'notes.txt'), 'Buy milk.\nCall Ada at 5.\n');

// The server from npm, run with this node (`command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', folder]` works too).
const server = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);
const fs = await mcpTools(
  { command: process.execPath, args: [server, folder], stderr: 'ignore' },
  { prefix: 'fs' },
);
const destructive = fs.tools.filter((tool) => tool.destructive).map((tool) => tool.name);
console.log(`${fs.tools.length} tools; may change files: ${destructive.join(', ')}`);

try {
  const stream = createTokenwire().stream({
    model: process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini',
    messages: [{ role: 'user', content: 'What do my notes say? The folder is the allowed directory.' }],
    tools: fs.tools.filter((tool) => !tool.destructive), // read-only tools: the others would wait for approval
    maxSteps: 5,
  });
  for await (const event of stream) {
    if (event.type === 'tool_call_complete') console.log(`→ ${event.name}(${event.arguments})`);
    if (event.type === 'tool_result')
      console.log(`← ${JSON.stringify(event.output)}${event.isError ? ' (error)' : ''}`);
    if (event.type === 'token') process.stdout.write(event.content);
  }
  console.log(`\n${(await stream.result()).steps?.length} steps`);
} finally {
  await fs.close(); // stops the server process
  rmSync(folder, { recursive: true, force: true });
}
