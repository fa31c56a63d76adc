import { Writable } from 'node:stream';
import { stripControl } from '../../core/text.ts';

/**
 * Keeps the first `headBytes` and the last `tailBytes` of a stream and counts the rest,
 * so a submission printing gigabytes costs the harness a fixed amount of memory.
 */
export class CappedOutput extends Writable {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  totalBytes = 0;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.append(chunk);
    callback();
  }

  append(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    if (this.headSize < this.headBytes) {
      const take = chunk.subarray(0, this.headBytes - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0 || this.tailBytes === 0) return;
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tail.length > 1 && this.tailSize - (this.tail[0]?.length ?? 0) >= this.tailBytes) {
      this.tailSize -= this.tail.shift()?.length ?? 0;
    }
  }

  get truncated(): boolean {
    return this.totalBytes > this.headBytes + this.tailBytes;
  }

  /** Head, a marker saying how much was dropped, then tail; safe to show on a terminal. */
  text(): string {
    return stripControl(this.rawText());
  }

  private rawText(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailBytes) tail = tail.subarray(tail.length - this.tailBytes);
    const omitted = this.totalBytes - this.headSize - tail.length;
    if (omitted <= 0) return head + tail.toString('utf8');
    return `${head}\n… [${omitted} bytes omitted] …\n${tail.toString('utf8')}`;
  }

  /** Only the complete head, for machine-readable output that must not be spliced. */
  headText(): string {
    return Buffer.concat(this.head).toString('utf8');
  }
}
