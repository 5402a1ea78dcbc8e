// Types for start-electron.mjs, so the TypeScript tests can drive its steps.
type Log = (message: string) => void;
type Env = NodeJS.ProcessEnv;

export declare const ROOT: string;
export declare const ELECTRON_DIR: string;
export declare const NATIVE_ROOT: string;
export declare const ELECTRON_HEADERS_URL: string;

export declare class StartError extends Error {}

export declare function electronVersion(electronDir?: string): string;
export declare function electronExecutable(electronDir?: string): string | null;
export declare function ensureElectronBinary(options?: { electronDir?: string; env?: Env; log?: Log }): string;
export declare function findNodeGyp(env?: Env): string;
export declare function nodeGypEnv(env?: Env): Env;
export declare function ensureElectronNative(options?: {
  version?: string;
  nativeRoot?: string;
  packageDir?: string;
  distUrl?: string;
  devDir?: string;
  arch?: string;
  env?: Env;
  log?: Log;
}): string;
export declare function isStale(outputs: string[], sources?: string[], root?: string): boolean;
export declare function ensureBuilt(options?: { env?: Env; log?: Log }): void;
export declare function electronEnv(binding: string, env?: Env): Env;
