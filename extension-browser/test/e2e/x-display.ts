import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';

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
  /**
   * Waits until pixels of exactly this colour are in the box and stay the same for 300 ms: a browser's dialog
   * fades or slides in, and one still moving is not ready for a click.
   */
  steadyColour(
    what: string,
    rgb: readonly [number, number, number],
    box?: Box,
    timeout?: number,
  ): Promise<Point & { pixels: number }>;
  click(at: Point, button?: 'left' | 'right'): Promise<void>;
  move(to: Point): Promise<void>;
  /** xdotool key names, e.g. `Return`, `Tab`, `Escape`, `ctrl+v`. */
  keys(...names: string[]): Promise<void>;
  /** Types the text key by key into whatever has the keyboard focus (given on stdin: never in a process list). */
  type(text: string): Promise<void>;
  /**
   * Gives the X keyboard focus to the first window whose title matches, as a window manager does for the
   * window a user works in. Without one, the focus follows the pointer (PointerRoot), so moving the pointer
   * onto a browser's popup takes the focus from the browser window, which closes the popup.
   */
  focusWindow(title: RegExp): Promise<void>;
  /** The screen (or a box of it) as a PNG file: what a user sees, browser chrome included. */
  screenshot(path: string, box?: Box): Promise<void>;
  close(): Promise<void>;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
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
  /** Xvfb's framebuffer file (XWD), as it is now. */
  const readFrame = async () => {
    const bytes = await readFile(join(fbdir, 'Xvfb_screen0'));
    const header = (i: number) => bytes.readUInt32BE(i * 4);
    // XWD: header_size, …, byte_order (7), …, bits_per_pixel (11), bytes_per_line (12), …, ncolors (19).
    const [headerSize, byteOrder, bitsPerPixel, bytesPerLine, colours] = [
      header(0),
      header(7),
      header(11),
      header(12),
      header(19),
    ];
    if (bitsPerPixel !== 32 || byteOrder !== 0) throw new Error(`Unexpected framebuffer format (${bitsPerPixel} bpp)`);
    const start = headerSize + colours * 12;
    return { bytes, offset: (x: number, y: number) => start + y * bytesPerLine + x * 4 };
  };

  const findColour: XDisplay['findColour'] = async (rgb, box = { left: 0, top: 0, right: width, bottom: height }) => {
    const frame = await readFrame();
    let sumX = 0;
    let sumY = 0;
    let pixels = 0;
    for (let y = box.top; y < box.bottom; y++) {
      for (let x = box.left; x < box.right; x++) {
        const at = frame.offset(x, y);
        if (frame.bytes[at + 2] === rgb[0] && frame.bytes[at + 1] === rgb[1] && frame.bytes[at] === rgb[2]) {
          sumX += x;
          sumY += y;
          pixels++;
        }
      }
    }
    return pixels === 0 ? undefined : { x: Math.round(sumX / pixels), y: Math.round(sumY / pixels), pixels };
  };

  return {
    name: display,
    width,
    height,
    findColour,
    async steadyColour(what, rgb, box, timeout = 10_000) {
      const end = Date.now() + timeout;
      let last: (Point & { pixels: number }) | undefined;
      for (;;) {
        const now = await findColour(rgb, box);
        if (now && last && now.pixels === last.pixels && now.x === last.x && now.y === last.y) return now;
        if (Date.now() > end) throw new Error(`Timed out after ${timeout} ms waiting for ${what} to be drawn`);
        last = now;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    },
    async screenshot(path, box = { left: 0, top: 0, right: width, bottom: height }) {
      const frame = await readFrame();
      const [w, h] = [box.right - box.left, box.bottom - box.top];
      // PNG rows of RGB, each led by filter byte 0; the framebuffer holds BGRX.
      const raw = Buffer.alloc(h * (1 + w * 3));
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const from = frame.offset(box.left + x, box.top + y);
          const to = y * (1 + w * 3) + 1 + x * 3;
          raw[to] = frame.bytes[from + 2]!;
          raw[to + 1] = frame.bytes[from + 1]!;
          raw[to + 2] = frame.bytes[from]!;
        }
      }
      const header = Buffer.alloc(13);
      header.writeUInt32BE(w, 0);
      header.writeUInt32BE(h, 4);
      header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no interlace
      await writeFile(
        path,
        Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          pngChunk('IHDR', header),
          pngChunk('IDAT', deflateSync(raw)),
          pngChunk('IEND', Buffer.alloc(0)),
        ]),
      );
    },
    click: (at, button = 'left') =>
      xdotool('mousemove', String(at.x), String(at.y), 'click', button === 'left' ? '1' : '3'),
    move: (to) => xdotool('mousemove', String(to.x), String(to.y)),
    keys: (...names) => xdotool('key', '--delay', '60', ...names),
    async focusWindow(title) {
      const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--name', title.source], { env });
      const window = stdout.split('\n').find((id) => id.trim() !== '');
      if (window === undefined) throw new Error(`No window titled ${title}`);
      await xdotool('windowfocus', '--sync', window);
    },
    type: (text) =>
      new Promise<void>((resolve, reject) => {
        const typing = spawn('xdotool', ['type', '--delay', '30', '--file', '-'], {
          env,
          stdio: ['pipe', 'ignore', 'pipe'],
        });
        let stderr = '';
        typing.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        typing.once('error', reject);
        typing.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`xdotool type exited ${code}: ${stderr.trim()}`)),
        );
        typing.stdin.end(text);
      }),
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
