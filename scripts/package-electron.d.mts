// Types for package-electron.mjs, so the TypeScript tests can drive its steps.
export declare function releaseFiles(root?: string): string[];
export declare function saveAddons(root: string, backup: string): string[];
export declare function restoreAddons(root: string, backup: string, saved: string[]): void;
