#!/usr/bin/env node
// CLI of the reference server, the package's `roma-vpc-sync-reference-server` bin (`npm run server` here):
// `--port 8080 [--host H] [--fault NAME] [--harmless NAME]...`.
// First stdout line: one JSON object {url, fixtures}; request logs go to stderr; usage errors exit 2.

import { parseArgs } from 'node:util';
import { TOOL } from '../schemas/files.ts';
import { FAULTS, HARMLESS, isFaultName, isHarmlessName, startReferenceServer, type ReferenceServer } from './index.ts';

const USAGE = `Usage: roma-vpc-sync-reference-server [--port N] [--host H] [--fault NAME] [--harmless NAME]...
       roma-vpc-sync-reference-server --list-faults | --list-harmless | --version | --help

Starts the reference ROMA Connect endpoint POST /v2/{project_id}/apic/vpc-channels/syncs.
  --port N        port to listen on (default 8080; 0 = ephemeral)
  --host H        address to bind (default 127.0.0.1)
  --fault NAME    start with one fault switched on (see --list-faults)
  --harmless NAME switch on a harmless variation the page allows (repeatable; see --list-harmless)
  --list-faults   print the faults as JSON and exit
  --list-harmless print the harmless switches as JSON and exit
  --version       print the version and exit
  --help          print this help and exit

The first line on stdout is JSON: {"url": ..., "fixtures": {...}}. Request logs go to stderr.`;

function fail(message: string): never {
  process.stderr.write(`roma-vpc-sync-reference-server: ${message.split('\n')[0]}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        fault: { type: 'string' },
        harmless: { type: 'string', multiple: true },
        'list-faults': { type: 'boolean' },
        'list-harmless': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)} (see --help)`);
  }
}

async function main(): Promise<void> {
  const args = parse();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.version) {
    process.stdout.write(`roma-vpc-sync-reference-server ${TOOL.version}\n`);
    return;
  }
  if (args['list-faults']) {
    process.stdout.write(`${JSON.stringify(FAULTS, null, 2)}\n`);
    return;
  }
  if (args['list-harmless']) {
    process.stdout.write(`${JSON.stringify(HARMLESS, null, 2)}\n`);
    return;
  }
  const portText = args.port ?? '8080';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    fail(`invalid --port "${portText}": expected an integer 0-65535`);
  const fault = args.fault ?? null;
  if (fault !== null && !isFaultName(fault)) fail(`unknown fault "${fault}" (see --list-faults)`);
  const harmless = args.harmless ?? [];
  for (const name of harmless)
    if (!isHarmlessName(name)) fail(`unknown harmless switch "${name}" (see --list-harmless)`);
  const host = args.host ?? '127.0.0.1';

  let server: ReferenceServer;
  try {
    server = await startReferenceServer({
      port: Number(portText),
      host,
      fault,
      harmless: harmless.filter(isHarmlessName),
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') fail(`port ${portText} on ${host} is already in use`);
    fail(`cannot listen on ${host}:${portText}: ${err.code ?? err.message}`);
  }
  process.stdout.write(`${JSON.stringify({ url: server.url, fixtures: server.fixtures })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(0); // a second signal: do not wait
    stopping = true;
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
