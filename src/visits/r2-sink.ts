/** R2 wants 5 MiB or more per multipart part (the last one excepted). */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Writes a stream of unknown length to one R2 object: a plain put when it stays under one part,
 * else a multipart upload of PART_BYTES parts, so a large day never sits whole in memory.
 */
export class R2Sink {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #upload: R2MultipartUpload | null = null;
  #parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
  ) {}

  /** Reads the stream to its end into the object's parts. */
  async drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      this.#chunks.push(value);
      this.#size += value.byteLength;
      if (this.#size >= PART_BYTES) await this.#flushPart();
    }
  }

  async close(): Promise<void> {
    if (!this.#upload) {
      await this.bucket.put(this.key, this.#take(), { httpMetadata: { contentType: "application/gzip" } });
      return;
    }
    if (this.#size > 0) await this.#flushPart();
    await this.#upload.complete(this.#parts);
  }

  async #flushPart(): Promise<void> {
    this.#upload ??= await this.bucket.createMultipartUpload(this.key, {
      httpMetadata: { contentType: "application/gzip" },
    });
    this.#parts.push(await this.#upload.uploadPart(this.#parts.length + 1, this.#take()));
  }

  #take(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    this.#chunks = [];
    this.#size = 0;
    return out;
  }
}
