#!/usr/bin/env node
// Part of `npm run build`, after tsc: stores the DOCX package's static parts, as the docx library
// builds them, next to dist/render/docx.js (see PACKAGE_FILE there), so that `nv generate` does not
// load the library and build them again in every batch.
import { writeFileSync } from 'node:fs';

const { PACKAGE_FILE, packageSnapshot } = await import('../dist/render/docx.js');
writeFileSync(PACKAGE_FILE, await packageSnapshot());
