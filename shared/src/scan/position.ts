/** Turns offsets into 1-based line/column, walking forward once for offsets given in increasing order. */
export class LineCursor {
  private line = 1;
  private lineStart = 0;
  /** The next newline at or after lineStart (-1: none); found once per line, not once per call. */
  private nextNewline: number;

  constructor(private readonly text: string) {
    this.nextNewline = text.indexOf('\n');
  }

  /** Line and column of `offset`; offsets must not decrease between calls. */
  at(offset: number): { line: number; column: number; lineStart: number } {
    while (this.nextNewline !== -1 && this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = this.text.indexOf('\n', this.lineStart);
    }
    return { line: this.line, column: offset - this.lineStart + 1, lineStart: this.lineStart };
  }
}

export function lineEnd(text: string, lineStart: number): number {
  const nl = text.indexOf('\n', lineStart);
  const end = nl === -1 ? text.length : nl;
  return end > lineStart && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}
