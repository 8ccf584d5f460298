#!/usr/bin/env node
// The CLI is one bundled file (dist/signus.mjs); this stub exists so the bin link
// can be created at install time, before the first build.
await import('../dist/signus.mjs');
