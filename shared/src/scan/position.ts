/** Turns offsets into 1-based line/column, walking forward once for offsets given in increasing order. */
export class LineCursor {
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  /** Line and column of `offset`; offsets must not decrease between calls. */
  at(offset: number): { line: number; column: number; lineStart: number } {
    for (
      let nl = this.text.indexOf('\n', this.lineStart);
      nl !== -1 && nl < offset;
      nl = this.text.indexOf('\n', this.lineStart)
    ) {
      this.line++;
      this.lineStart = nl + 1;
    }
    return { line: this.line, column: offset - this.lineStart + 1, lineStart: this.lineStart };
  }
}

export function lineEnd(text: string, lineStart: number): number {
  const nl = text.indexOf('\n', lineStart);
  const end = nl === -1 ? text.length : nl;
  return end > lineStart && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}
