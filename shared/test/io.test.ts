import { fstatSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linuxTerminalDevice } from '../src/cli/io.js';

describe('linuxTerminalDevice: a terminal told by its device number', () => {
  // glibc's makedev(): minor bits 0–7, major bits 8–19, minor bits past 7 from bit 20.
  const makedev = (major: number, minor: number) => (minor & 0xff) + major * 256 + Math.floor(minor / 256) * 2 ** 20;
  it('knows pseudo-terminals and /dev/null, and leaves anything else to isatty', () => {
    expect(linuxTerminalDevice(makedev(136, 3), 'linux')).toBe(true);
    expect(linuxTerminalDevice(makedev(143, 1000), 'linux')).toBe(true);
    expect(linuxTerminalDevice(makedev(1, 3), 'linux')).toBe(false);
    expect(linuxTerminalDevice(fstatSync(openSync('/dev/null', 'w')).rdev, 'linux')).toBe(false);
    expect(linuxTerminalDevice(makedev(4, 1), 'linux')).toBe(undefined);
    expect(linuxTerminalDevice(makedev(5, 2), 'linux')).toBe(undefined);
    expect(linuxTerminalDevice(makedev(136, 3), 'darwin')).toBe(undefined);
  });
});
