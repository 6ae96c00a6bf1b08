/**
 * An incoming-webhook endpoint on 127.0.0.1 for the tests, as Slack's answers one: it
 * accepts a JSON POST and says `ok`. It keeps each body parsed, so that a test can
 * check the shape (`text`, `blocks`) and count the posts.
 *
 *   const receiver = await startWebhookReceiver();
 *   await runCliAsync(repo, ['review'], { DIFFWISE_ALERT_WEBHOOK_URL: receiver.url });
 *   receiver.posts  // [{ text, blocks }]
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookPost {
  path: string;
  contentType: string | undefined;
  body: { text?: unknown; blocks?: unknown; [key: string]: unknown };
}

export interface WebhookReceiver {
  /** A URL with a secret-looking path, as Slack's are: `http://127.0.0.1:PORT/services/T0/B0/SECRET`. */
  url: string;
  posts: WebhookPost[];
  /** Resolves once `count` posts have arrived (rejects after `timeoutMs`). */
  waitForPosts(count: number, timeoutMs?: number): Promise<WebhookPost[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: WebhookPost[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST') {
        response.writeHead(405).end();
        return;
      }
      try {
        posts.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPost['body'] });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T0TEST/B0TEST/s3cr3tWebhookPath`,
    posts,
    async waitForPosts(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (posts.length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} webhook post(s); got ${posts.length}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return posts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
