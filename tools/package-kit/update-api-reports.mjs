#!/usr/bin/env node
// `pnpm api:update`: rewrites the API report of every entry point of every published package
// (api-report/*.api.md, from the built declarations). Commit the result with the change.
import { apiReports } from './lib/api-report.mjs';
import { publishedPackages } from './lib/workspace.mjs';

let failed = false;
for (const workspacePackage of publishedPackages()) {
  for (const report of apiReports(workspacePackage, { update: true })) {
    for (const message of report.messages) {
      failed = true;
      console.error(`${workspacePackage.name}: ${message}`);
    }
    console.log(`${workspacePackage.relativeDirectory}/${report.file}${report.changed ? ' updated' : ''}`);
  }
}
process.exitCode = failed ? 1 : 0;
