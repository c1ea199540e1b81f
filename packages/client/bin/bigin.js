#!/usr/bin/env node
// A committed, executable entry: the compiled CLI in dist/ is not executable by itself.
import '../dist/cli/main.js';
