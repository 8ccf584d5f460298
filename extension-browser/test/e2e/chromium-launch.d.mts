import type { LaunchOptions } from 'playwright-core';

export const CHROMIUM: string;
export const EXTENSION_DIR: string;
export function launchOptions(viewport: { width: number; height: number }): LaunchOptions & {
  viewport: { width: number; height: number };
};
