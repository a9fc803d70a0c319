// API reports (api-extractor): one Markdown file per entry point of a published package,
// committed under `<package>/api-report/`, so every change to the public surface shows in review.
// Checking compares a fresh report with the committed one; updating writes it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { unscopedName } from './workspace.mjs';

export const REPORT_FOLDER = 'api-report';

/** `.` → `docker`, `./internal` → `docker-internal`. */
export function reportName(packageName, subpath) {
  const base = unscopedName(packageName);
  return subpath === '.' ? base : `${base}-${subpath.replace(/^\.\//, '').replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/**
 * Runs api-extractor on each entry point's ESM declarations.
 * @returns {{ subpath: string, file: string, changed: boolean, messages: string[] }[]}
 */
export function apiReports(workspacePackage, { update }) {
  const results = [];
  for (const [subpath, entry] of Object.entries(workspacePackage.manifest.exports)) {
    if (subpath === './package.json') continue;
    const declarations = entry.import.types;
    const name = reportName(workspacePackage.name, subpath);
    const temporary = mkdtempSync(path.join(tmpdir(), 'berth-api-report-'));
    const messages = [];
    if (update) mkdirSync(path.join(workspacePackage.directory, REPORT_FOLDER), { recursive: true });
    try {
      const config = ExtractorConfig.prepare({
        configObjectFullPath: undefined,
        packageJsonFullPath: path.join(workspacePackage.directory, 'package.json'),
        configObject: {
          projectFolder: workspacePackage.directory,
          mainEntryPointFilePath: path.join(workspacePackage.directory, declarations),
          compiler: {
            overrideTsconfig: {
              compilerOptions: {
                target: 'ES2023',
                lib: ['ES2023'],
                module: 'NodeNext',
                moduleResolution: 'NodeNext',
                types: ['node'],
                strict: true,
                skipLibCheck: true,
              },
              files: [declarations],
            },
          },
          apiReport: {
            enabled: true,
            reportFileName: `${name}.api.md`,
            reportFolder: path.join(workspacePackage.directory, REPORT_FOLDER),
            reportTempFolder: temporary,
          },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          newlineKind: 'lf',
          messages: {
            compilerMessageReporting: { default: { logLevel: 'error' } },
            extractorMessageReporting: {
              // Berth does not use release tags (@public/@beta); everything exported is public.
              'ae-missing-release-tag': { logLevel: 'none' },
              // Kept in the report, where a reviewer sees them, instead of failing the lint.
              default: { logLevel: 'warning', addToApiReportFile: true },
            },
            // TSDoc syntax nits (mostly in the generated spec comments) are not API changes.
            tsdocMessageReporting: { default: { logLevel: 'none' } },
          },
        },
      });
      const result = Extractor.invoke(config, {
        localBuild: update,
        messageCallback: (message) => {
          // Messages that go into the report are visible there; print only the rest.
          if (message.logLevel === 'error') messages.push(message.formatMessageWithLocation(workspacePackage.directory));
          message.handled = true;
        },
      });
      if (result.errorCount > 0 && messages.length === 0) messages.push(`api-extractor reported ${result.errorCount} error(s)`);
      results.push({ subpath, file: path.join(REPORT_FOLDER, `${name}.api.md`), changed: result.apiReportChanged, messages });
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  }
  return results;
}
