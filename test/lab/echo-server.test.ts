/** lab echo-server end to end (real gcc, real strace, loopback TCP, SIGTERM from the lab). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLab } from '../../src/lab/index.js';
import { checkCitations, point, side, tempCache } from './support.js';

test('echo-server: SIGTERM read from the signalfd, accepting stops, no client loses a byte, descriptors close in order, exit 0', async () => {
  const run = await runLab('echo-server', { cacheDir: tempCache() });
  const trace = run.runs[0].trace;
  assert.equal(trace.exitCode, 0, trace.stderr);
  assert.deepEqual(trace.interactions.map((i) => [i.action, i.result]), [['sigterm', 'sent']]);
  const setup = side(point(run, 'setup'), 'echo', 'server').values!;
  assert.match(side(point(run, 'setup'), 'echo', 'server').says, /127\.0\.0\.1/);
  const clients = setup.clients as number[];
  assert.equal(clients.length, 3);
  // Listening socket, signalfd, then the three clients, all in the one epoll set.
  assert.deepEqual(setup.epollAdds, [Number(setup.listenFd), Number(setup.signalFd), ...clients]);
  const stop = side(point(run, 'stop'), 'echo', 'signal').values!;
  assert.equal(stop.signalRead, true);
  assert.equal(stop.listenClosedAfterSignal, true);
  assert.equal(stop.acceptsAfterSignal, 0);
  const bytes = point(run, 'no-byte-lost');
  for (const fd of clients) {
    const v = side(bytes, 'echo', `client fd ${fd}`).values!;
    assert.equal(v.read, 8000n);
    assert.equal(v.written, 8000n);
  }
  const afterSignal = clients.map((fd) => side(bytes, 'echo', `client fd ${fd}`).values!.afterSignal as bigint);
  // The clients send their second half only once the server has taken SIGTERM: at least 4000 bytes each after it.
  for (const n of afterSignal) assert.ok(n >= 4000n, `${n} bytes after the signal`);
  for (let i = 0; i < 3; i++) assert.match(trace.stdout, new RegExp(`client ${i} got 8000 of 8000 bytes`));
  const order = side(point(run, 'close-order'), 'echo', 'close').values!.order as string[];
  assert.deepEqual(order.slice(0, 2), ['listening socket', 'pipe to the clients']);
  assert.deepEqual(order.slice(-2), ['signalfd', 'epoll']);
  assert.deepEqual(order.slice(2, -2).sort(), clients.map((fd) => `client ${fd}`).sort());
  assert.ok(checkCitations(run) >= 10);
});
