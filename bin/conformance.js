#!/usr/bin/env node
// The package bin: the TypeScript CLI, run through tsx's loader (no build step after npm ci).
import './runtime.js';

await import('./conformance.ts');
