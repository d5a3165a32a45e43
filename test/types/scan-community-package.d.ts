// The exports of n8n's scanner (@n8n/scan-community-package 0.32, plain JavaScript) the tests use.
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
  export interface ScanResult {
    passed: boolean;
    message?: string;
    details?: string;
    error?: unknown;
  }
  export const SOURCE_FILE_PATTERNS: string[];
  export function findPackageRoot(sourceDir: string, packageName: string): string | null;
  export function analyzePackage(packageDir: string, filePatterns?: string[]): Promise<ScanResult>;
}
