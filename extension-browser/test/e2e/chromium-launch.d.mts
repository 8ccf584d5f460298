import type { LaunchOptions } from 'playwright-core';

export const CHROMIUM: string;
export const EXTENSION_DIR: string;
export const CHROMIUM_ARGS: string[];
export function chromiumArgs(dir?: string): string[];
export function requireChromiumAndBuild(): void;
export function launchOptions(
  viewport: { width: number; height: number },
  dir?: string,
): LaunchOptions & {
  viewport: { width: number; height: number };
};
