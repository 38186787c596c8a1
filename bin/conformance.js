#!/usr/bin/env node
// The package bin: runs the TypeScript CLI through tsx's loader, so no build step is needed after npm ci.
import { register } from 'tsx/esm/api';

register();
await import('./conformance.ts');
