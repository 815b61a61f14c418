/** A one-line progress bar on a TTY; silent when output is piped (logs stay clean). */
export class Progress {
  private last = 0;
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  tick(done: number, label: string): void {
    if (!this.out.isTTY) return;
    const now = Date.now();
    if (done < this.total && now - this.last < 80) return;
    this.last = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    const name = label.length > 40 ? `…${label.slice(-39)}` : label;
    this.out.write(
      `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${this.total} ${name}\x1b[K`,
    );
  }

  end(): void {
    if (this.out.isTTY) this.out.write("\n");
  }
}
