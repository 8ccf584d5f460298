import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * A private X server (Xvfb) for headed browsers, and the hands of a user on it: the browser's own toolbar,
 * menus and permission prompts are not web content, so no WebDriver or DevTools protocol reaches them.
 * The screen is read from Xvfb's framebuffer file (XWD) and clicked and typed on with xdotool (XTEST),
 * as a mouse and keyboard would.
 */
export interface XDisplay {
  /** `:N`, for the DISPLAY of the processes started on it. */
  name: string;
  width: number;
  height: number;
  /** Centre of the pixels of exactly this colour inside the box, if any. */
  findColour(rgb: readonly [number, number, number], box?: Box): Promise<(Point & { pixels: number }) | undefined>;
  click(at: Point, button?: 'left' | 'right'): Promise<void>;
  move(to: Point): Promise<void>;
  /** xdotool key names, e.g. `Return`, `Tab`, `Escape`, `ctrl+v`. */
  keys(...names: string[]): Promise<void>;
  close(): Promise<void>;
}

function requireTool(path: string, pkg: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `No ${path}: the real-popup tests drive a headed browser on a virtual X display (apt-get install -y ${pkg}; scripts/setup.sh installs it).`,
    );
  }
}

/** Starts Xvfb on a display number it picks itself. Fails loudly when Xvfb or xdotool is missing. */
export async function startXDisplay(width = 1280, height = 900): Promise<XDisplay> {
  requireTool('/usr/bin/Xvfb', 'xvfb');
  requireTool('/usr/bin/xdotool', 'xdotool');
  const fbdir = await mkdtemp(join(tmpdir(), 'signus-xvfb-'));
  // -displayfd: Xvfb finds a free display itself and writes its number to fd 3 once it accepts clients.
  const server: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-fbdir', fbdir],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it started: ${stderr.trim()}`)));
    setTimeout(() => reject(new Error(`Xvfb did not start in 10 s: ${stderr.trim()}`)), 10_000).unref();
  });
  const env = { ...process.env, DISPLAY: display };
  const xdotool = async (...args: string[]) => void (await run('xdotool', args, { env }));

  return {
    name: display,
    width,
    height,
    async findColour(rgb, box = { left: 0, top: 0, right: width, bottom: height }) {
      const xwd = await readFile(join(fbdir, 'Xvfb_screen0'));
      const header = (i: number) => xwd.readUInt32BE(i * 4);
      // XWD: header_size, …, byte_order (7), …, bits_per_pixel (11), bytes_per_line (12), …, ncolors (19).
      const [headerSize, byteOrder, bitsPerPixel, bytesPerLine, colours] = [
        header(0),
        header(7),
        header(11),
        header(12),
        header(19),
      ];
      if (bitsPerPixel !== 32 || byteOrder !== 0)
        throw new Error(`Unexpected framebuffer format (${bitsPerPixel} bpp)`);
      const start = headerSize + colours * 12;
      let sumX = 0;
      let sumY = 0;
      let pixels = 0;
      for (let y = box.top; y < box.bottom; y++) {
        for (let x = box.left; x < box.right; x++) {
          const at = start + y * bytesPerLine + x * 4;
          if (xwd[at + 2] === rgb[0] && xwd[at + 1] === rgb[1] && xwd[at] === rgb[2]) {
            sumX += x;
            sumY += y;
            pixels++;
          }
        }
      }
      return pixels === 0 ? undefined : { x: Math.round(sumX / pixels), y: Math.round(sumY / pixels), pixels };
    },
    click: (at, button = 'left') =>
      xdotool('mousemove', String(at.x), String(at.y), 'click', button === 'left' ? '1' : '3'),
    move: (to) => xdotool('mousemove', String(to.x), String(to.y)),
    keys: (...names) => xdotool('key', '--delay', '60', ...names),
    async close() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill();
        await exited;
      }
      await rm(fbdir, { recursive: true, force: true });
    },
  };
}
